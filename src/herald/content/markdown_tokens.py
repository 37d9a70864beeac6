"""markdown-it's flat token stream as a tree, built in one pass.

markdown-it-py's own `SyntaxTreeNode` does the same job with more bookkeeping (parent links,
per-node token lists, properties recomputed on every access): building it took about a
fifth of a whole parse.  The converter needs only each node's kind, its opening token's
fields and its children, so that is all a `Node` holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token


class Node:
    """One element: a leaf token, or an `*_open`/`*_close` pair with what lies between.

    `type` is the token type without `_open` (`bullet_list`, `em`, `link`); the other
    fields are the leaf's or the opening token's.
    """

    __slots__ = ("attrs", "children", "content", "info", "meta", "tag", "type")

    def __init__(self, token: Token, kind: str, children: list[Node]) -> None:
        self.type = kind
        self.tag = token.tag
        self.info = token.info
        self.content = token.content
        self.attrs: dict[str, Any] = token.attrs
        self.meta: dict[Any, Any] = token.meta
        self.children = children

    def __repr__(self) -> str:
        return f"Node({self.type!r}, children={len(self.children)})"


def token_tree(tokens: Sequence[Token]) -> list[Node]:
    """The top-level nodes of a token stream; inline tokens' children become subtrees.

    Raises ValueError on a stream whose opening and closing tokens do not pair up (a
    plugin bug on odd input), as `SyntaxTreeNode` does, so the caller can fall back.
    """
    top: list[Node] = []
    stack = [top]
    for token in tokens:
        nesting = token.nesting
        if nesting == 1:
            children: list[Node] = []
            stack[-1].append(Node(token, token.type.removesuffix("_open"), children))
            stack.append(children)
        elif nesting == -1:
            if len(stack) == 1:
                raise ValueError(f"closing token without an opening one: {token.type}")
            stack.pop()
        else:
            inner = token_tree(token.children) if token.children else []
            stack[-1].append(Node(token, token.type, inner))
    if len(stack) != 1:
        raise ValueError("unclosed tokens in the stream")
    return top
