"""Server-rendered HTML pages. Data comes from sitroom.web.queries; templates autoescape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from sitroom.records import shown_speaker
from sitroom.web import eventviews, lists, params, queries
from sitroom.web.charts import quantity_charts, timeline_svg
from sitroom.web.highlight import Span, render, snippet
from sitroom.web.lookup import connect, list_params, one_or_404

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)


@router.get("/", response_class=HTMLResponse)
def network(request: Request, start: str = "", end: str = "", type: str = "", kind: str = "",
            min_sources: int = params.count(), actor: str = "") -> Response:
    try:
        dates = {"start": lists.check_date("start", start) or "", "end": lists.check_date("end", end) or ""}
    except lists.ParamError as exc:
        raise HTTPException(422, str(exc)) from exc
    timeline = _events_timeline(request, {k: v for k, v in {**dates, "actor": actor}.items() if v})
    with connect(request) as conn:
        ctx = {"types": queries.relation_types(conn), "kinds": queries.actor_kinds(conn),
               "top": queries.actor_list(conn, 30),
               "focus": queries.actor_names(conn, [actor]).get(actor) if actor else None,
               "f": {"start": start, "end": end, "type": type, "kind": kind, "min_sources": min_sources,
                     "actor": actor}, "timeline": timeline}
    return _page(request, "network.html", ctx)


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> Response:
    with connect(request) as conn:  # one connection for the actor and its timeline
        a = queries.actor(conn, actor_id)
        timeline = _timeline_of(conn, {"actor": actor_id}) if a is not None and not a.get("merged_into") else None
    if a is None:  # an affiliation may point at an actor only the gazetteer knows
        a = queries.gazetteer_actor(actor_id)
        if a is None:
            raise HTTPException(404, "actor not found")
        return _page(request, "actor.html", {"a": a, "chart_kinds": [], "timeline": None})
    if a.get("merged_into"):
        return RedirectResponse(f"/actors/{a['merged_into']}", status_code=307)
    kinds = [c["kind"] for c in quantity_charts(a["quantities"])]
    return _page(request, "actor.html", {"a": a, "chart_kinds": kinds,
                                         "timeline": timeline})


def _events_timeline(request: Request, raw: dict[str, str]) -> dict[str, Any] | None:
    """The timeline of the events matching `raw` (event-list parameters), with its charts."""
    with connect(request) as conn:
        return _timeline_of(conn, raw)


def _timeline_of(conn: Connection, raw: dict[str, str]) -> dict[str, Any] | None:
    p = lists.specs()["events"].parse(raw)
    tl = eventviews.timeline(conn, p.filters)
    return _timeline_charts(tl, p) if tl["events"] else None


@router.get("/charts/quantities/{kind}.svg")
def quantity_chart(request: Request, kind: str, actor: str) -> Response:
    """One actor's reported numbers of one kind over time, as an SVG image."""
    with connect(request) as conn:
        qs = queries.actor_quantities(conn, actor)
    chart = next((c for c in quantity_charts(qs or []) if c["kind"] == kind), None)
    if chart is None:
        raise HTTPException(404, "no chart")
    return Response(str(chart["svg"]), media_type="image/svg+xml")


def _list_page(request: Request, name: str, extra: dict[str, Any] | None = None) -> Response:
    spec = lists.specs()[name]
    p = list_params(spec, request)
    with connect(request) as conn:
        rows = spec.query(conn, p)
        choices = spec.choices(conn)
        tl = eventviews.timeline(conn, p.filters) if name == "events" else None
    ctx = {"spec": spec, "p": p, "rows": rows, "choices": choices, "more": len(rows) >= p.limit,
           "timeline": _timeline_charts(tl, p) if tl else None, **(extra or {})}
    return _page(request, "list.html", ctx)


def _timeline_charts(tl: dict[str, Any], p: lists.Params, base: str = "/events") -> dict[str, Any]:
    """The timeline and its charts; a bar links to the event list for its period and type."""
    def link(t: str, start: str, end: str) -> str:
        return base + "?" + urlencode({**p.query(offset=None, limit=None, sort=None), "type": t,
                                       "start": start, "end": end})

    charts = [timeline_svg(tl, link)]
    if tl["has_fatalities"] and any(b["total_fatalities"] for b in tl["bars"]):
        charts.append(timeline_svg(tl, link, fatalities=True))
    return {**tl, "charts": charts}


def _list_route(name: str) -> Callable[[Request], Response]:
    def list_page(request: Request) -> Response:
        return _list_page(request, name)

    return list_page


for _name in lists.LISTS:  # /actors, /events, /claims, /docs, /relations
    router.add_api_route(f"/{_name}", _list_route(_name), methods=["GET"], response_class=HTMLResponse,
                         name=f"{_name}_list_page")


@router.get("/relations/{rel_id}", response_class=HTMLResponse)
def relation_page(request: Request, rel_id: params.RowId) -> Response:
    r = one_or_404(request, queries.relation, rel_id, what="relation")
    return _page(request, "relation.html", {"r": r})


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> Response:
    spec = lists.specs()["events"]
    p = list_params(spec, request)
    with connect(request) as conn:
        choices = spec.choices(conn)
    return _page(request, "map.html", {"spec": spec, "p": p, "choices": choices,
                                       "api": "/api/map?" + urlencode(p.query(offset=None, limit=None, sort=None))})


@router.get("/places/{name:path}", response_class=HTMLResponse)
def place_page(request: Request, name: str) -> Response:
    """Events at one place: timeline, list, and the place on the map."""
    spec = lists.specs()["events"]
    p = list_params(spec, request)
    p.filters["place"] = name
    with connect(request) as conn:
        rows = spec.query(conn, p)
        tl = eventviews.timeline(conn, p.filters)
    if not rows and not tl["events"]:
        raise HTTPException(404, "no events at this place")
    return _page(request, "place.html", {"name": name, "p": p, "rows": rows, "more": len(rows) >= p.limit,
                                         "timeline": _timeline_charts(tl, p),
                                         "where": next((r for r in rows if r["lat"] is not None), None)})


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
        who = names.get(c["speaker_actor_id"] or "", None) or shown_speaker(c["speaker_text"], c["descriptor"])
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
def contested_page(request: Request, page: int = params.page()) -> Response:
    per = 15
    with connect(request) as conn:
        groups = queries.contested(conn, per, (page - 1) * per, per_group=16)
    return _page(request, "contested.html", {"groups": groups, "page": page, "more": len(groups) == per})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", page: int = params.page()) -> Response:
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
