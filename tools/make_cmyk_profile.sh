#!/usr/bin/env bash
# Rebuild generators/booklet/profiles/FOGRA39L-coated.icc, the press files' CMYK output
# profile, from Fogra's FOGRA39L characterization data (Debian icc-profiles-free, Zlib) with
# ArgyllCMS colprof (Debian argyll). The committed .icc is the result; run this only to change it.
# Separation: total ink ≤ 300 % (-l), black ≤ 95 % (-L), black ramp (-kr, the default); perceptual table
# gamut-mapped from sRGB (-s), the photos' colour space, and the default intent (-Zp).
set -euo pipefail
cd "$(dirname "$0")/.."
out=generators/booklet/profiles/FOGRA39L-coated.icc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
cp /usr/share/color/icc/sRGB.icc "$work/"
(cd "$work" && colprof -qm -kr -nc -Zp -l300 -L95 -s sRGB.icc \
  -A "Fogra (data); Lamplight (profile)" \
  -D "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), TAC 300%" \
  -C "Data: Fogra FOGRA39L via icc-profiles-free (Zlib). Profile made with ArgyllCMS colprof." \
  FOGRA39L >/dev/null)
mkdir -p "$(dirname "$out")"
cp "$work/FOGRA39L.icc" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
