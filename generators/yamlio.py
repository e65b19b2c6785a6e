"""Safe YAML reading that remembers where every key and value came from.

PyYAML silently keeps the last of two equal keys and expands aliases without limit; this
loader reports duplicate keys, refuses alias bombs and oversized files, and returns
mappings and sequences that know the line and column of each entry so that validation
errors can point into the file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Files larger than this are refused before parsing.
MAX_FILE_BYTES = 512 * 1024
#: At most this many nodes after alias expansion.
MAX_NODES = 100_000

Position = tuple[int, int]


class PosDict(dict[str, Any]):
    """A mapping that records the position of each key and of the mapping itself."""

    pos: Position = (1, 1)
    key_pos: dict[str, Position]
    value_pos: dict[str, Position]


class PosList(list[Any]):
    """A sequence that records the position of each item and of itself."""

    pos: Position = (1, 1)
    item_pos: list[Position]


class YamlProblem(Exception):
    """A problem that stops reading a file: code, message and position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


def _pos(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader (LibYAML when present); construction is done by :class:`_Builder`."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The tag of a node without an explicit one: PyYAML's rules, with the implicit
        resolvers looked up once per first character (most values start with a character
        that no resolver claims)."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                    if regexp.match(value):
                        return str(tag)
            return _STR_TAG
        if kind is SequenceNode:
            return _SEQ_TAG
        return _MAP_TAG


_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_SPECIAL_KEY_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
MAX_DEPTH = 100


def _implicit_table() -> dict[str, tuple[tuple[str, Any], ...]]:
    """PyYAML's implicit resolvers by first character ("" for the empty value), each list
    followed by the wildcard resolvers, as :meth:`yaml.resolver.BaseResolver.resolve` tries them."""
    table: dict[str | None, list[tuple[str, Any]]] = _BaseLoader.yaml_implicit_resolvers
    if _BaseLoader.yaml_path_resolvers:  # pragma: no cover - the safe loaders have none
        raise RuntimeError("path resolvers are not supported")
    return {
        first: tuple(resolvers) + _WILDCARD
        for first, resolvers in table.items()
        if first is not None
    }


_WILDCARD: tuple[tuple[str, Any], ...] = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = _implicit_table()


class _Builder:
    """Turns a composed node tree into PosDict/PosList/scalars, within a node budget.

    Aliases make the tree a graph; every visit counts against the budget, so an alias bomb
    stops after ``MAX_NODES`` visits instead of expanding.
    """

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.budget = MAX_NODES
        self.dups: list[tuple[str, Position, Position]] = []

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value  # the common case, without the constructor's bookkeeping
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # e.g. a timestamp such as 2024-13-01: keep the text so validation names the field
            return node.value

    def build(self, node: Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlProblem(
                "E004", "YAML 内容展开后过大（可能是别名炸弹），已拒绝读取", *_pos(node)
            )
        if depth > MAX_DEPTH:
            raise YamlProblem("E004", "YAML 嵌套层数过深，已拒绝读取", *_pos(node))
        tag = node.tag
        if tag == _STR_TAG and type(node) is ScalarNode:
            return node.value
        if tag not in _STANDARD_TAGS:
            raise YamlProblem(
                "E002",
                f"不支持的 YAML 标签“{node.tag}”；内容文件里只能写普通的文字、数字、日期、列表和字段",
                *_pos(node),
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            build = self.build
            items = PosList(build(item, depth + 1) for item in node.value)
            items.pos = _pos(node)
            items.item_pos = [
                (item.start_mark.line + 1, item.start_mark.column + 1) for item in node.value
            ]
            return items
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: MappingNode, depth: int) -> PosDict:
        for key_node, _ in node.value:
            if key_node.tag in _SPECIAL_KEY_TAGS:
                self.loader.flatten_mapping(node)
                break
        result = PosDict()
        result.pos = _pos(node)
        key_pos: dict[str, Position] = {}
        value_pos: dict[str, Position] = {}
        result.key_pos = key_pos
        result.value_pos = value_pos
        build = self.build
        child = depth + 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("E002", "字段名必须是普通文字", *_pos(key_node))
            key = key_node.value if key_node.tag == _STR_TAG else self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            mark = key_node.start_mark
            if key in result:
                self.dups.append((key, (mark.line + 1, mark.column + 1), key_pos[key]))
                continue
            result[key] = build(value_node, child)
            key_pos[key] = (mark.line + 1, mark.column + 1)
            mark = value_node.start_mark
            value_pos[key] = (mark.line + 1, mark.column + 1)
        return result


def load_yaml(text: str) -> tuple[Any, list[tuple[str, Position, Position]]]:
    """Parse one YAML document.

    Returns the data (``PosDict``/``PosList``/scalars) and the duplicate keys found, each as
    ``(key, position_of_duplicate, position_of_first)``. Raises :class:`YamlProblem` for
    syntax errors and refused input.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise YamlProblem("E004", f"文件超过 {MAX_FILE_BYTES // 1024} KB，请拆分或删减内容")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        builder = _Builder(loader)
        data = builder.build(node)
        dups = builder.dups
        return data, dups
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = typing_slip(text, line)
        if found is not None:
            raise YamlProblem("E002", found[2], found[0], found[1]) from None
        problem = exc.problem or "格式错误"
        raise YamlProblem(
            "E002",
            f"YAML 格式错误：{_translate_problem(problem)}。请检查缩进、冒号后的空格和引号是否成对",
            line,
            col,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("E002", f"YAML 格式错误：{exc}") from None
    except RecursionError:
        raise YamlProblem("E004", "YAML 嵌套层数过深，已拒绝读取") from None
    finally:
        loader.dispose()


#: A field name followed by a full-width colon (an input method left in Chinese mode).
_WIDE_COLON_RE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*(：)")


def typing_slip(text: str, line: int) -> tuple[int, int, str] | None:
    """(line, column, message) of the first full-width colon after a field name or tab in
    the indentation on ``line`` (where YAML noticed a problem) or the line before it: the
    real place is often one line before the one YAML names."""
    first = max(line - 2, 0)
    for number, content in enumerate(text.splitlines()[first:line], start=first + 1):
        match = _WIDE_COLON_RE.match(content)
        if match:
            key = content[: match.start(1)].strip().removeprefix("-").strip()
            return (
                number,
                match.start(1) + 1,
                f"YAML 格式错误：字段名“{key}”后面是全角冒号“：”；请改成半角冒号加空格“{key}: ”",
            )
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return (
                number,
                indent.index("\t") + 1,
                "YAML 格式错误：行首缩进里有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成两个空格",
            )
    return None


_PROBLEMS = {
    "mapping values are not allowed": "这里不能出现“键: 值”（可能是缩进不对，或值里有冒号需要加引号）",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "found character '\\t' that cannot start any token": "出现了制表符（Tab），请改用空格缩进",
    "found a tab character": "出现了制表符（Tab），请改用空格缩进",
    "found character that cannot start any token": "这里有 YAML 不认识的字符（常见的是制表符 Tab 或全角符号），请删除或改用空格",
    "expected <block end>, but found '-'": "列表项“-”的缩进与上文不一致",
    "found undefined alias": "引用了未定义的别名",
    "did not find expected node content": "这里缺少值（可能是括号或引号没有闭合）",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "did not find expected key": "缩进不一致，找不到应有的字段名",
}


def _translate_problem(problem: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english) or english in problem:
            return chinese
    return problem


def position_of(data: Any, loc: tuple[int | str, ...]) -> Position:
    """Best position for a validation-error location path inside loaded data."""
    best: Position = getattr(data, "pos", (1, 1))
    current = data
    for part in loc:
        if isinstance(current, PosDict) and isinstance(part, str):
            if part in current.key_pos:
                best = current.key_pos[part]
                current = current.get(part)
                continue
            return getattr(current, "pos", best)
        if isinstance(current, PosList) and isinstance(part, int):
            if 0 <= part < len(current):
                best = current.item_pos[part]
                current = current[part]
                continue
            return best
        break
    return best


def value_position_of(data: Any, loc: tuple[int | str, ...]) -> Position:
    """Position of the value (not the key) at ``loc``, falling back to :func:`position_of`."""
    if loc and isinstance(loc[-1], str):
        parent = data
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return position_of(data, loc)
        if isinstance(parent, PosDict) and loc[-1] in parent.value_pos:
            return parent.value_pos[loc[-1]]
    return position_of(data, loc)
