"""Private-data scanner, run by ``lamplight check`` on every content file.

Every line of every YAML and Markdown file under content/, showcases/ and skills_library/
is scanned (values and comments alike: git history is permanent) for resident ID numbers
(GB 11643 checksum), mobile and landline numbers (except public channels), bank card
numbers (Luhn) and addresses finer than a township. A reviewed false positive is allowed
by writing ``lamplight: allow E5xx`` on the same line (in a YAML comment or an HTML comment
in Markdown); allowed findings are still listed as W502. Photos are checked for GPS
coordinates (W501). The consent rules are in :mod:`generators.content.consent`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from itertools import compress, count
from pathlib import Path

from .diagnostics import Report
from .models import PublicChannels

SCANNED_SUFFIXES = {".yaml", ".yml", ".md", ".markdown", ".txt"}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID18_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])(\d{15})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![\d+])((?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<![\d-])(\(?0\d{2,3}\)?[\s-]?\d{7,8})(?![\d-])")
_CARD_RE = re.compile(r"(?<!\d)(\d{4}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?)(?!\d)")
_ADDRESS_RES = (
    re.compile(r"[\u4e00-\u9fff](?:路|街|巷|弄|大道|胡同)\s*\d+\s*[号號]"),
    re.compile(r"\d+\s*(?:号楼|號樓|栋|棟|幢|单元|單元)"),
    re.compile(r"(?<!\d)\d{3,4}\s*室"),
    re.compile(r"(?:门牌|門牌)(?:号|號)?\s*[:：是为為]?\s*\d"),
    re.compile(r"[\u4e00-\u9fff](?:村|组|組|社)\s*\d+\s*[号號]"),
)
#: Words for a child or grandchild; a surname right after one starts a child's name (E505).
_KIN = "女儿|女兒|儿子|兒子|孙子|孫子|孙女|孫女|外孙|外孫|闺女|閨女"
#: Common surnames, without those that mostly start an ordinary word after a kinship word
#: (高中, 周末, 马上, 平时, 夏天, 曾经, 陆续, 钱, 田里, 孙女, 雷山 …).
_SURNAMES = (
    "王李张張刘劉陈陳杨楊赵趙黄黃吴吳徐胡朱郭何罗羅梁宋郑鄭谢謝韩韓唐冯馮于董萧蕭程曹袁"
    "邓鄧蔡蒋蔣贾賈丁魏薛叶葉阎閻余潘杜戴钟鍾汪姜范石姚谭譚廖邹鄒熊金郝孔崔康毛邱秦"
    "顾顧侯邵孟龙龍段汤湯尹黎武乔喬贺賀赖賴龚龔普韦韋蒙莫覃欧歐苏蘇卢盧吕呂沈彭林江"
)
#: After the surname, these start a title or a family, not a given name (女儿跟李老师学).
_NOT_GIVEN = "老总家某氏姐哥叔婶伯爷奶师书"
_KIN_NAME_RE = re.compile(
    rf"({_KIN})[\s:：是叫名]*([{_SURNAMES}](?![{_NOT_GIVEN}])[\u4e00-\u9fff]{{1,2}})"
)
#: Lines without any of these cannot hold a finding: skip the detailed patterns.
_CANDIDATE_RE = re.compile(
    rf"\d{{5}}|\d{{3,4}}[\s-]\d{{3,4}}|[号號室栋棟幢]|单元|單元|门牌|門牌|{_KIN}"
)
#: Full-width digits, letters and signs as input methods type them → ASCII (same length,
#: so columns stay right).
_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－＋（）\u3000", "0123456789Xx-+() ")
_NUMERALS = str.maketrans("〇零幺一二三四五六七八九", "001123456789")
#: Runs of Chinese numerals long enough to be a number read out digit by digit.
_NUMERAL_RUN_RE = re.compile(r"[〇零幺一二三四五六七八九]{5,}")
_ALLOW_RE = re.compile(r"lamplight:\s*allow\s+((?:E5\d\d[\s,]*)+)", re.IGNORECASE)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def valid_resident_id(number: str) -> bool:
    """True for an 18-character GB 11643 number with a valid check character and date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    return _plausible_date(number[6:14])


def valid_legacy_id(number: str) -> bool:
    """True for a 15-digit legacy ID with a plausible area code and YYMMDD birth date."""
    if len(number) != 15 or not number.isdigit() or number[0] == "0":
        return False
    return _plausible_date("19" + number[6:12])


def _plausible_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number]
    checksum = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        checksum += digit
    return checksum % 10 == 0


def find_private(line: str, public_numbers: set[str]) -> Iterator[tuple[int, str, str]]:
    """Yield (column, code, message) for every private-data finding in one line."""
    taken: list[tuple[int, int]] = []

    def _free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _ID18_RE.finditer(line):
        if valid_resident_id(match.group(1)):
            taken.append(match.span(1))
            yield match.start(1), "E501", "疑似居民身份证号码；身份证号不得写进内容库，请删除"
    for match in _ID15_RE.finditer(line):
        if _free(*match.span(1)) and valid_legacy_id(match.group(1)):
            taken.append(match.span(1))
            yield match.start(1), "E501", "疑似 15 位旧身份证号码；请删除"
    for match in _CARD_RE.finditer(line):
        digits = _digits(match.group(1))
        if _free(*match.span(1)) and 16 <= len(digits) <= 19 and luhn_valid(digits):
            taken.append(match.span(1))
            yield match.start(1), "E503", "疑似银行卡号；银行卡号不得写进内容库，请删除"
    for match in _MOBILE_RE.finditer(line):
        digits = _digits(match.group(1))
        if _free(*match.span(1)) and digits.removeprefix("86") not in public_numbers:
            taken.append(match.span(1))
            yield (
                match.start(1),
                "E502",
                "疑似手机号码；个人电话不得公开，请改用公开渠道（咨询群或站点热线）",
            )
    for match in _LANDLINE_RE.finditer(line):
        digits = _digits(match.group(1))
        if _free(*match.span(1)) and digits not in public_numbers:
            taken.append(match.span(1))
            yield (
                match.start(1),
                "E502",
                (
                    "疑似固定电话号码；只有在 content/public_channels.yaml 登记的公开热线才能出现在内容中"
                ),
            )
    address_hits = [
        m for pattern in _ADDRESS_RES for m in pattern.finditer(line) if _free(*m.span())
    ]
    if address_hits:
        first = min(address_hits, key=lambda m: m.start())
        yield (
            first.start(),
            "E504",
            "疑似详细地址（门牌、楼号、单元、室）；地址最细只写到乡镇，请删除",
        )
    for match in _KIN_NAME_RE.finditer(line):
        yield (
            match.start(2),
            "E505",
            f"疑似孩子的姓名（“{match.group(1)}”后面的“{match.group(2)}”）；孩子的全名不得公开，"
            f"请只写“{match.group(1)}”或改用化名",
        )


def _allowed_codes(line: str) -> set[str]:
    match = _ALLOW_RE.search(line)
    if not match:
        return set()
    return {code.upper() for code in re.findall(r"E5\d\d", match.group(1), re.IGNORECASE)}


def normalise(text: str) -> str:
    """``text`` with full-width digits and signs made ASCII and digit-by-digit Chinese
    numerals (一三八…) made digits; same length, so columns stay right."""
    text = text.translate(_WIDTH)
    return _NUMERAL_RUN_RE.sub(lambda m: m.group().translate(_NUMERALS), text)


def scan_text(rel: str, text: str, public_numbers: set[str], report: Report) -> None:
    """Scan one file's text line by line (after :func:`normalise`)."""
    text = normalise(text)
    if not _CANDIDATE_RE.search(text):
        return
    lines = text.splitlines()
    # Only lines with a candidate are scanned in detail; the filter runs without a Python
    # frame per line.
    for number in compress(count(1), map(_CANDIDATE_RE.search, lines)):
        line = lines[number - 1]
        findings = list(find_private(line, public_numbers))
        if not findings:
            continue
        allowed = _allowed_codes(line)
        for col, code, message in findings:
            if code in allowed:
                report.add(
                    rel,
                    number,
                    col + 1,
                    "W502",
                    f"已按行内标记放行的 {code}：{message}（请确认已人工复核）",
                )
            else:
                report.add(
                    rel,
                    number,
                    col + 1,
                    code,
                    message + "。若确认是误报，可在同一行加注释“lamplight: allow " + code + "”",
                )


def public_numbers(channels: PublicChannels) -> set[str]:
    """Digits of every registered public channel (never reported as private numbers)."""
    numbers = {_digits(ch.number) for ch in channels.channels}
    return {n for n in numbers if n}


def photo_has_gps(path: Path) -> bool:
    """True when a JPEG/PNG/WebP carries GPS coordinates in its EXIF data."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_GPS_HEAD)
    except OSError:
        return False
    if not _may_have_exif(head):
        return False  # no EXIF block at all: nothing to open
    return _image_has_gps(path)


_GPS_HEAD = 128 * 1024


def _may_have_exif(head: bytes) -> bool:
    return b"Exif\x00\x00" in head or b"MM\x00*" in head or b"II*\x00" in head


def _image_has_gps(source: Path | io.BytesIO) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            exif = image.getexif()
            gps = exif.get_ifd(0x8825)
            return bool(gps)
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def bytes_have_gps(data: bytes) -> bool:
    """:func:`photo_has_gps` for a photo already read into memory."""
    if not _may_have_exif(data[:_GPS_HEAD]):
        return False
    return _image_has_gps(io.BytesIO(data))


GPS_MESSAGE = (
    "这张照片带有 GPS 位置信息；发布时会自动去除，但原图已进入版本库，建议换成去掉位置信息的照片"
)


#: Suffixes of the photos checked for GPS coordinates (W501).
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
