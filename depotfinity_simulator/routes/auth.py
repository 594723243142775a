"""Token Management API: ``POST /oauth2/token`` (client-credentials grant)."""

from __future__ import annotations

import base64
import binascii
import hmac

from aiohttp import web

from .common import get_sim

routes = web.RouteTableDef()


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """Decode an ``Authorization: Basic`` header into (user, password)."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except binascii.Error, UnicodeDecodeError:
        return None
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    return user, password


@routes.post("/oauth2/token", name="token")
async def issue_token(request: web.Request) -> web.Response:
    """Issue a bearer token for valid client credentials."""
    sim = get_sim(request)
    cfg = sim.config
    credentials = basic_credentials(request.headers.get("Authorization"))
    valid = credentials is not None and (
        hmac.compare_digest(credentials[0].encode(), cfg.client_id.encode())
        & hmac.compare_digest(credentials[1].encode(), cfg.client_secret.encode())
    )
    if not valid:
        return web.json_response({"error": "invalid_client"}, status=403)
    is_form = request.content_type == "application/x-www-form-urlencoded"
    form = await request.post() if is_form else {}
    grant = form.get("grant_type")
    if grant is None:
        return web.json_response({"error": "invalid_request"}, status=400)
    if grant != "client_credentials":
        return web.json_response({"error": "unsupported_grant_type"}, status=400)
    token = sim.tokens.issue(cfg.client_id, cfg.token_lifetime)
    return web.json_response(
        {"access_token": token, "expires_in": cfg.token_lifetime, "token_type": "bearer"}
    )
