"""Discord's message limits with Discord's own error bodies, for the fake server."""

from __future__ import annotations

from typing import Any


def _error(code: str, message: str) -> dict[str, Any]:
    return {"_errors": [{"code": code, "message": message}]}


def embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    for field in embed.get("fields") or []:
        size += len(field.get("name") or "") + len(field.get("value") or "")
    return size


def _select_errors(select: dict[str, Any]) -> dict[str, Any]:
    """A string select menu: 1-25 options, labels and values of 1-100 characters."""
    errors: dict[str, Any] = {}
    options = select.get("options") or []
    if not 1 <= len(options) <= 25:
        errors["options"] = _error("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
    for index, option in enumerate(options):
        for key in ("label", "value"):
            if not 1 <= len(option.get(key) or "") <= 100:
                errors.setdefault("options", {}).setdefault(str(index), {})[key] = _error(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
    if len(select.get("placeholder") or "") > 150:
        errors["placeholder"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 150 or fewer in length.")
    return errors


def validate_message(payload: dict[str, Any], *, attachments: int = 0) -> dict[str, Any] | None:
    """Discord's `errors` object for an invalid message body, or None when it is valid."""
    errors: dict[str, Any] = {}
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or []
    components = payload.get("components") or []
    if len(content) > 2000:
        errors["content"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    if len(embeds) > 10:
        errors["embeds"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    for index, embed in enumerate(embeds):
        problems: dict[str, Any] = {}
        if len(embed.get("title") or "") > 256:
            problems["title"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length.")
        if len(embed.get("description") or "") > 4096:
            problems["description"] = _error(
                "BASE_TYPE_MAX_LENGTH", "Must be 4096 or fewer in length."
            )
        if problems:
            errors.setdefault("embeds", {})[str(index)] = problems
    if sum(embed_size(embed) for embed in embeds) > 6000:
        errors.setdefault("embeds", {}).update(
            _error("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    if len(components) > 5:
        errors["components"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for row_index, row in enumerate(components):
        children = row.get("components") or []
        row_errors: dict[str, Any] = {}
        if row.get("type") != 1:
            row_errors["type"] = _error("COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Must be an action row")
        if len(children) > 5:
            row_errors["components"] = _error(
                "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."
            )
        for child_index, child in enumerate(children):
            custom_id = child.get("custom_id")
            child_errors: dict[str, Any] = {}
            if custom_id is not None:
                if len(custom_id) > 100:
                    child_errors["custom_id"] = _error(
                        "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."
                    )
                if custom_id in seen:
                    child_errors["custom_id"] = _error(
                        "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
                    )
                seen.add(custom_id)
            if len(child.get("label") or "") > 80:
                child_errors["label"] = _error(
                    "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length."
                )
            if child.get("type") == 2 and child.get("style") == 5 and not child.get("url"):
                child_errors["url"] = _error("BASE_TYPE_REQUIRED", "This field is required")
            if child.get("type") == 3:
                child_errors.update(_select_errors(child))
                if len(children) > 1:
                    row_errors["components"] = _error(
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "The specified component exceeds the maximum width",
                    )
            if child_errors:
                row_errors.setdefault("components", {})[str(child_index)] = child_errors
        if row_errors:
            errors.setdefault("components", {})[str(row_index)] = row_errors
    if errors:
        return {"message": "Invalid Form Body", "code": 50035, "errors": errors}
    if not (content or embeds or components or attachments or payload.get("sticker_ids")):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None
