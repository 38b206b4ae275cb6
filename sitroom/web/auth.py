"""The write token: header `X-Sitroom-Token` or a form field `token`.

Missing → 401, wrong → 403. Compared in constant time.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

HEADER = "X-Sitroom-Token"


def check(request: Request, form_token: str | None = None) -> None:
    given = request.headers.get(HEADER) or form_token
    if not given:
        raise HTTPException(status_code=401, detail=f"write token required ({HEADER} header or token field)",
                            headers={"WWW-Authenticate": "Token"})
    expected: str = request.app.state.token
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="wrong write token")
