"""`Param`: one named, range-checked setting, and `check_values` for a group of them.

Corruption parameters, task options, `ModelConfig` and `TrainConfig` fields all declare
themselves this way, so the library checks them in one place and the app builds one
slider (or radio group) per `Param` with the same range the library accepts.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    name: str
    default: float | int | str | bool
    low: float | None = None  # inclusive bounds for numbers
    high: float | None = None
    step: float | None = None  # slider step; an int default means a whole-number parameter
    choices: tuple = ()  # for a dropdown instead of a range
    help: str = ""
    label: str = ""  # the control's label; default: the name with spaces

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ")

    def check(self, value, owner: str):
        """Return `value` converted to the parameter's type, or raise ValueError saying what is allowed."""
        if self.choices:
            if value not in self.choices:
                raise ValueError(f"{owner}: {self.name} must be one of {list(self.choices)}, got {value!r}")
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{owner}: {self.name} must be a number, got {value!r}") from None
        if not (self.low <= number <= self.high):  # also rejects NaN
            raise ValueError(f"{owner}: {self.name} must be between {self.low:g} and {self.high:g}, got {value!r}")
        if isinstance(self.default, int):
            if number != int(number):
                raise ValueError(f"{owner}: {self.name} must be a whole number, got {value!r}")
            return int(number)
        return number

    def clamp(self, value):
        """The nearest allowed value (for a slider whose range shrank); choices are left as they are."""
        if self.choices:
            return value if value in self.choices else self.default
        number = min(max(float(value), self.low), self.high)
        return int(round(number)) if isinstance(self.default, int) else number


def check_values(params: tuple[Param, ...], values: dict, owner: str, noun: str) -> dict:
    """`values` validated against `params`, defaults filled in; an unknown name is a ValueError too."""
    known = {p.name: p for p in params}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"{owner} has no {noun} {sorted(unknown)}; it takes {sorted(known) or 'none'}")
    return {name: p.check(values.get(name, p.default), owner) for name, p in known.items()}


def check_fields(config, params: tuple[Param, ...], owner: str) -> None:
    """Check every field of a frozen dataclass `config` that has a Param (a ValueError names the bad one)."""
    for param in params:
        param.check(getattr(config, param.name), owner)
