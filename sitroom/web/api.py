"""JSON API: everything the pages show, plus the two writes (ingest, reviews)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sitroom import scratch
from sitroom.ingest.types import NamedSource
from sitroom.reviews import ReviewError, ReviewIn, apply
from sitroom.web import auth, eventviews, lists, params, queries
from sitroom.web.highlight import snippet
from sitroom.web.jobs import Job
from sitroom.web.lookup import connect, list_params, one_or_404
from sitroom.web.reviews import as_dict

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/graph")
def graph(request: Request, start: str | None = None, end: str | None = None,
          type: str | None = Query(None, description="relation type(s), comma separated"),
          kind: str | None = Query(None, description="actor kind(s), comma separated"),
          min_sources: int = params.count(), limit: int = Query(queries.MAX_EDGES, ge=1, le=5000),
          actor: str | None = Query(None, description="only relations of this actor id")) -> dict:
    """The actor network as Cytoscape elements (nodes, edges)."""
    try:
        start, end = lists.check_date("start", start), lists.check_date("end", end)
    except lists.ParamError as exc:
        raise HTTPException(422, str(exc)) from exc
    with connect(request) as conn:
        return queries.graph(conn, start or None, end or None, type or None, kind or None, min_sources, limit,
                             actor or None)


@router.get("/relations/{rel_id}")
def relation(request: Request, rel_id: params.RowId, limit: int = Query(queries.MAX_LIST, ge=1, le=1000),
             offset: int = params.offset()) -> dict:
    """One edge with its evidence: document, title, sentence text and span."""
    return one_or_404(request, queries.relation, rel_id, limit, offset, what="relation")


@router.get("/actors/{actor_id:path}")
def actor(request: Request, actor_id: str) -> dict:
    """The actor page's data; an actor only the gazetteer knows comes with `in_store: false`."""
    with connect(request) as conn:
        a = queries.actor(conn, actor_id)
    a = a if a is not None else queries.gazetteer_actor(actor_id)
    if a is None:
        raise HTTPException(404, "actor not found")
    return a


@router.get("/docs/{doc_id}")
def document(request: Request, doc_id: str) -> dict:
    return one_or_404(request, queries.document, doc_id, what="document")


@router.get("/claims/{claim_id:path}")
def claim(request: Request, claim_id: str) -> dict:
    return one_or_404(request, queries.claim, claim_id, what="claim")


@router.get("/contested")
def contested(request: Request, page: int = params.page(), per_page: int = Query(20, ge=1, le=100)) -> dict:
    with connect(request) as conn:
        groups = queries.contested(conn, per_page, (page - 1) * per_page)
    return {"page": page, "groups": groups}


@router.get("/search")
def search(request: Request, q: str = "", page: int = params.page(),
           per_page: int = Query(20, ge=1, le=100)) -> dict:
    """Full-text search; `snippet_html` is escaped with hits in <mark>."""
    with connect(request) as conn:
        hits = queries.search(conn, q, per_page, (page - 1) * per_page)
        actors = queries.actor_search(conn, q) if page == 1 else []
    for h in hits:
        raw = h.get("snippet")
        h["snippet_html"] = str(snippet(raw))
        h["snippet"] = (raw or "").replace("\x02", "").replace("\x03", "")
    return {"q": q, "page": page, "results": hits, "actors": actors}


# --- lists, map, timeline ---------------------------------------------------------------------

def _list_endpoint(name: str):  # type: ignore[no-untyped-def]
    def endpoint(request: Request) -> Response:
        spec = lists.specs()[name]
        p = list_params(spec, request)
        with connect(request) as conn:
            items = spec.query(conn, p)
        if p.format == "csv":
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(spec.columns)
            w.writerows(lists.flat(r, spec.columns) for r in items)
            return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="sitroom-{name}.csv"'})
        nxt = (f"/api/{name}?" + urlencode(p.query(offset=p.offset + p.limit))) if len(items) >= p.limit else None
        return JSONResponse(jsonable_encoder({"list": name, "filters": p.filters, "sort": p.sort, "limit": p.limit,
                                              "offset": p.offset, "count": len(items), "items": items, "next": nxt}))

    spec = lists.specs()[name]
    filters = "; ".join(f"`{f.name}` ({f.kind})" for f in spec.filters)
    endpoint.__doc__ = (f"{spec.title}, filtered, sorted and paged: {filters}; `sort` one of "
                        f"{', '.join(spec.sorts)} ('-' first for descending), `limit` (1-{lists.MAX_LIMIT}), "
                        "`offset`, `format` json|csv. Bad parameters: 422 with a message.")
    return endpoint


for _name in lists.LISTS:
    router.add_api_route(f"/{_name}", _list_endpoint(_name), methods=["GET"], name=f"list_{_name}")


@router.get("/map")
def event_map(request: Request) -> dict:
    """Events with coordinates grouped by place (the event list's filters): points, colours, counts."""
    p = list_params(lists.specs()["events"], request)
    with connect(request) as conn:
        return eventviews.map_points(conn, p.filters)


@router.get("/timeline")
def event_timeline(request: Request) -> dict:
    """Events and fatalities per day/week/month by type (the event list's filters; `bucket` to force one)."""
    raw = dict(request.query_params)
    bucket = raw.pop("bucket", None)
    if bucket not in (None, "day", "week", "month"):
        raise HTTPException(422, f"bucket: {bucket[:20]!r} is not day, week or month")
    try:
        p = lists.specs()["events"].parse(raw)
    except lists.ParamError as exc:
        raise HTTPException(422, str(exc)) from exc
    with connect(request) as conn:
        return eventviews.timeline(conn, p.filters, bucket)


# --- writes ----------------------------------------------------------------------------------

def _safe_next(url: str | None) -> str:
    # Only same-site paths: never redirect to another host ("//evil", "https://...").
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.post("/reviews", status_code=201)
async def post_review(request: Request) -> Any:
    """Record a review (JSON body or form): target_kind, target_key, decision, payload."""
    is_form = not request.headers.get("content-type", "").startswith("application/json")
    if is_form:
        form = await request.form()
        auth.check(request, str(form.get("token") or "") or None)
        payload = {k[8:]: str(v) for k, v in form.items() if k.startswith("payload_") and str(v).strip()}
        data: dict[str, Any] = {k: str(form.get(k) or "") for k in ("target_kind", "target_key", "decision", "author")}
        data["payload"] = payload
    else:
        auth.check(request)
        try:
            data = await request.json()
        except ValueError as exc:
            raise HTTPException(400, "body is not JSON") from exc
        if not isinstance(data, dict):
            raise HTTPException(400, "body must be a JSON object")
    review = ReviewIn(target_kind=str(data.get("target_kind") or ""), target_key=str(data.get("target_key") or ""),
                      decision=str(data.get("decision") or ""),
                      payload=data.get("payload") if isinstance(data.get("payload"), dict) else {},
                      author=str(data.get("author") or "") or None)

    def run() -> dict:
        with request.app.state.store.session() as s:
            return as_dict(apply(s, review))

    try:
        result = await run_in_threadpool(run)
    except ReviewError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    if is_form:
        return RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)
    return JSONResponse(result, status_code=201)


@router.get("/reviews")
def list_reviews(request: Request, target_key: str | None = None, limit: int = Query(100, ge=1, le=1000)) -> dict:
    from sqlalchemy import select

    from sitroom.store.models import Review

    q = select(Review).order_by(Review.id.desc()).limit(limit)
    if target_key:
        q = q.where(Review.target_key == target_key)
    with request.app.state.store.session() as s:
        return {"reviews": [as_dict(r) for r in s.scalars(q)]}


@router.post("/ingest")
async def ingest(request: Request) -> Any:
    """Ingest URLs (one per line in `urls`) and/or uploaded `files`; token required; uploads capped."""
    cap: int = request.app.state.max_upload
    _check_declared_length(request, cap)
    form = await request.form(max_files=100, max_fields=100)
    wants_page = "text/html" in request.headers.get("accept", "") and not request.headers.get(auth.HEADER)
    try:
        auth.check(request, str(form.get("token") or "") or None)
    except HTTPException as exc:
        if not wants_page:
            raise
        # The form, again, saying what went wrong (not a raw JSON error page).
        return request.app.state.templates.TemplateResponse(
            request, "ingest.html", {"result": None, "error": exc.detail, "urls": str(form.get("urls") or ""),
                                     "cap_mb": cap // (1024 * 1024)}, status_code=exc.status_code)
    urls = _web_addresses(str(form.get("urls") or ""))
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not urls and not uploads:
        raise HTTPException(400, "nothing to ingest: give urls or files")
    tmp = scratch.make_dir("upload")  # the job removes it when it ends
    try:
        sources: list[str | NamedSource] = [*urls, *await _save_uploads(uploads, Path(tmp), cap)]
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # Analysis runs as a background job (sitroom.web.jobs) within the per-document budgets;
    # the request waits for it a while and otherwise answers with the job's address.
    # The job's run_ingest loads the analysts' reviewed actors from the store itself.
    job = request.app.state.jobs.submit(sources, tmp)
    await run_in_threadpool(job.finished.wait, request.app.state.ingest_wait)
    return _ingest_answer(request, job, wants_page)


def _check_declared_length(request: Request, cap: int) -> None:
    """Refuse a body without a declared length or one declared larger than the cap."""
    length = request.headers.get("content-length")
    # The declared length bounds what the multipart parser will read (the server rejects
    # bodies longer than declared), so the cap holds before anything is spooled to disk.
    if not (length and length.isdigit()):
        raise HTTPException(411, "Content-Length required")
    if int(length) > cap + 1_000_000:  # allowance for the form fields and multipart framing
        raise HTTPException(413, f"upload larger than {cap} bytes")


def _web_addresses(field: str) -> list[str]:
    """The non-empty lines of the `urls` field; each must be an http(s) URL."""
    urls = [u.strip() for u in field.splitlines() if u.strip()]
    bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
    if bad:  # only web addresses: a local path here would read the server's files
        raise HTTPException(400, f"not an http(s) URL: {bad[0][:200]}")
    return urls


async def _save_uploads(uploads: list[UploadFile], folder: Path, cap: int) -> list[NamedSource]:
    """Write the uploads into `folder`, together at most `cap` bytes; each named as the user named it."""
    sources = []
    total = 0
    for i, up in enumerate(uploads):
        # Keep only the file name's suffix: never trust a client path.
        suffix = "".join(Path(up.filename or "").suffixes[-2:])[:20]
        path = folder / f"upload-{i}{suffix}"
        with path.open("wb") as fh:
            while chunk := await up.read(1 << 20):
                total += len(chunk)
                if total > cap:
                    raise HTTPException(413, f"upload larger than {cap} bytes")
                fh.write(chunk)
        # Recorded under the user's own file name, not the temporary path.
        sources.append(NamedSource(str(path), Path(up.filename or "").name or path.name))
    return sources


def _ingest_answer(request: Request, job: Job, wants_page: bool) -> Any:
    """The job's summary once done, else its address (202); a page for a browser's form."""
    if job.status == "failed":
        raise HTTPException(500, f"ingest failed: {job.error}")
    if job.result is None:
        if wants_page:
            return request.app.state.templates.TemplateResponse(
                request, "ingest.html", {"result": None, "job": job.public()}, status_code=202)
        return JSONResponse(job.public(), status_code=202)
    if wants_page:
        return request.app.state.templates.TemplateResponse(request, "ingest.html", {"result": job.result})
    return job.result


@router.get("/ingest/jobs/{job_id}")
def ingest_job(request: Request, job_id: str) -> dict:
    """A background ingest: status (queued, running, done, failed) and, once done, its summary."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such ingest job (finished jobs are forgotten when the server restarts)")
    return job.public()
