"""`[tool.tfv]` in pyproject.toml."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from .analyze import Settings

KNOWN_KEYS = {
    "select", "ignore", "extend-select", "extend-ignore", "extend-variable-factories", "exclude", "cross-module", "src",
}


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    variable_factories: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    cross_module: bool = True
    src: list[str] = field(default_factory=list)


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [*start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _string_list(table: dict, key: str, path: Path) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.tfv] {key} must be a list of strings")
    return list(value)


def _boolean(table: dict, key: str, path: Path) -> bool:
    value = table.get(key, True)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: [tool.tfv] {key} must be true or false")
    return value


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    table = data.get("tool", {}).get("tfv", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.tfv] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown [tool.tfv] setting(s): {', '.join(unknown)} (known: {', '.join(sorted(KNOWN_KEYS))})")
    select = _string_list(table, "select", path) if "select" in table else None
    extend_select = _string_list(table, "extend-select", path)
    if extend_select:
        select = (select if select is not None else ["TFV"]) + extend_select
    return Config(
        path=path,
        select=select,
        ignore=_string_list(table, "ignore", path) + _string_list(table, "extend-ignore", path),
        variable_factories=_string_list(table, "extend-variable-factories", path),
        exclude=_string_list(table, "exclude", path),
        cross_module=_boolean(table, "cross-module", path),
        src=_string_list(table, "src", path),
    )


def settings_for(
    config: Config,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_ignore: list[str] = (),
    factories: list[str] = (),
    cross_module: bool = True,
) -> Settings:
    """The effective settings: command-line options over [tool.tfv] over the defaults."""
    from .analyze import Settings  # config is read before any rule is needed

    chosen_select = select or config.select or ["TFV"]
    chosen_ignore = list(ignore or config.ignore) + list(extend_ignore)
    return Settings(
        select=tuple(chosen_select),
        ignore=tuple(chosen_ignore),
        variable_factories=tuple(config.variable_factories) + tuple(factories),
        cross_module=config.cross_module and cross_module,
        src=tuple(config.src),
    )
