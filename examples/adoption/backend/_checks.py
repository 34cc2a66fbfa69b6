"""Argument checks the careful implementations share."""


def require_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank")
    return value


def require_cost(cost: object) -> int:
    if not isinstance(cost, int) or isinstance(cost, bool):
        raise TypeError(f"cost must be int, got {type(cost).__name__}")
    if cost < 1:
        raise ValueError("cost must be 1 or more")
    return cost
