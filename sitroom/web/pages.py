"""Server-rendered HTML pages. Data comes from sitroom.web.queries; templates autoescape."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sitroom.web import queries
from sitroom.web.charts import quantity_charts
from sitroom.web.highlight import Span, render, snippet
from sitroom.web.lookup import connect, one_or_404

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)


@router.get("/", response_class=HTMLResponse)
def network(request: Request, start: str = "", end: str = "", type: str = "", kind: str = "",
            min_sources: int = Query(1, ge=1), actor: str = "") -> Response:
    with connect(request) as conn:
        ctx = {"types": queries.relation_types(conn), "kinds": queries.actor_kinds(conn),
               "top": queries.actor_list(conn, 30),
               "focus": queries.actor_names(conn, [actor]).get(actor) if actor else None,
               "f": {"start": start, "end": end, "type": type, "kind": kind, "min_sources": min_sources,
                     "actor": actor}}
    return _page(request, "network.html", ctx)


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> Response:
    a = one_or_404(request, queries.actor, actor_id, what="actor")
    if a.get("merged_into"):
        return RedirectResponse(f"/actors/{a['merged_into']}", status_code=307)
    kinds = [c["kind"] for c in quantity_charts(a["quantities"])]
    return _page(request, "actor.html", {"a": a, "chart_kinds": kinds})


@router.get("/charts/quantities/{kind}.svg")
def quantity_chart(request: Request, kind: str, actor: str) -> Response:
    """One actor's reported numbers of one kind over time, as an SVG image."""
    with connect(request) as conn:
        qs = queries.actor_quantities(conn, actor)
    chart = next((c for c in quantity_charts(qs or []) if c["kind"] == kind), None)
    if chart is None:
        raise HTTPException(404, "no chart")
    return Response(str(chart["svg"]), media_type="image/svg+xml")


@router.get("/docs", response_class=HTMLResponse)
def doc_list(request: Request, page: int = Query(1, ge=1)) -> Response:
    per = 50
    docs = request.app.state.store.list_documents(limit=per, offset=(page - 1) * per)
    return _page(request, "docs.html", {"docs": docs, "page": page, "more": len(docs) == per})


def _spans(d: dict[str, Any]) -> list[Span]:
    names = d["names"]
    spans: list[Span] = []
    for m in d["mentions"]:
        who = m["actor_name"] or m["actor_id"] or "unresolved"
        title = f"{m['label']} mention → {who}" + (f" ({m['actor_id']})" if m["actor_id"] else "")
        if m.get("review"):
            title += f" · reviewed: {m['review']['decision']}"
        spans.append(Span(m["start"], m["end"], "mention", title,
                          {"actor": m["actor_id"] or "", "ref": f"m-{m['id']}"}))
    for e in d["events"]:
        src = ", ".join(names.get(x, x) for x in e["source"]) or "?"
        tgt = ", ".join(names.get(x, x) for x in e["target"]) or "?"
        flags = (" NEGATED" if e["negated"] else "") + (f" [{e['modality']}]" if e["modality"] != "asserted" else "")
        title = (f"event {e['type']}" + (f"/{e['mode']}" if e["mode"] else "") +
                 (f" (CAMEO {e['cameo']})" if e["cameo"] else "") + f": {src} → {tgt}" +
                 (f" on {e['date_value']}" if e["date_value"] else "") + flags)
        spans.append(Span(e["start"], e["end"], "event", title, {"ref": f"e-{e['local_id']}"}))
    for c in d["claims"]:
        who = names.get(c["speaker_actor_id"] or "", None) or c["speaker_text"]
        via = (" via " + " ← ".join(str(v) for v in c["via"])) if c["via"] else ""
        title = f"claim by {who}{via}" + (" (direct quote)" if c["direct"] else "") + \
            (f", {c['date_value']}" if c["date_value"] else "")
        spans.append(Span(c["content_start"], c["content_end"], "claim", title,
                          {"ref": f"c-{c['local_id']}", "claim": c["id"]}))
    return spans


@router.get("/docs/{doc_id}", response_class=HTMLResponse)
def reader(request: Request, doc_id: str) -> Response:
    d = one_or_404(request, queries.document, doc_id, what="document")
    anchors = {int(s[0]) for s in d["sentences"] or [] if s}
    anchors |= {m["start"] for m in d["mentions"]} | {e["start"] for e in d["events"]}
    anchors |= {c["content_start"] for c in d["claims"]} | set(d["evidence_starts"])
    body = render(d["text"], _spans(d), anchors)
    return _page(request, "doc.html", {"d": d, "body": body, "key": queries.span_key})


@router.get("/claims/{claim_id:path}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str) -> Response:
    c = one_or_404(request, queries.claim, claim_id, what="claim")
    return _page(request, "claim.html", {"c": c})


@router.get("/contested", response_class=HTMLResponse)
def contested_page(request: Request, page: int = Query(1, ge=1)) -> Response:
    per = 15
    with connect(request) as conn:
        groups = queries.contested(conn, per, (page - 1) * per, per_group=16)
    return _page(request, "contested.html", {"groups": groups, "page": page, "more": len(groups) == per})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", page: int = Query(1, ge=1)) -> Response:
    per = 20
    with connect(request) as conn:
        hits = queries.search(conn, q, per, (page - 1) * per)
        actors = queries.actor_search(conn, q) if q and page == 1 else []
    for h in hits:
        h["snippet_html"] = snippet(h.get("snippet"))
    return _page(request, "search.html", {"q": q, "hits": hits, "actors": actors, "page": page,
                                          "more": len(hits) == per})


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> Response:
    return _page(request, "ingest.html", {"result": None, "cap_mb": request.app.state.max_upload // (1024 * 1024)})
