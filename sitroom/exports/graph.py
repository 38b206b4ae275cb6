"""The actor network as GraphML and GEXF (for Gephi, yEd, networkx, igraph).

Nodes are the actors at either end of the selected relations (with kind, country and CAMEO
code), edges the relations (type, n_sources, n_evidence, first/last seen; weight =
n_sources). allied_with edges are `mutual` in GEXF; GraphML readers (networkx) reject
mixed graphs, so there every edge is directed and symmetric ones carry symmetric=true.
The XML is written as a stream: nodes first (GEXF requires it), then edges, each read from the store in batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select

from sitroom.exports.tables import Filters, relation_actor_ids, relation_query
from sitroom.nlp.relations import lexicon
from sitroom.store.models import ActorRow

BATCH = 2000
NODE_ATTRS = (("kind", "string"), ("country", "string"), ("code", "string"))
EDGE_ATTRS = (("type", "string"), ("n_sources", "int"), ("n_evidence", "int"), ("first_seen", "string"),
              ("last_seen", "string"))


def _nodes(store, f: Filters) -> Iterator[tuple[str, str, dict[str, str | None]]]:
    with store.session() as s:
        q = select(ActorRow).where(ActorRow.id.in_(relation_actor_ids(f))).order_by(ActorRow.id)
        for part in s.execute(q.execution_options(yield_per=BATCH)).partitions(BATCH):
            for (a,) in part:
                yield a.id, a.name, {"kind": a.kind, "country": a.country, "code": a.code}


def _edges(store, f: Filters) -> Iterator[tuple[int, str, str, bool, dict[str, object]]]:
    symmetric = lexicon().symmetric
    with store.session() as s:
        for part in s.execute(relation_query(f).execution_options(yield_per=BATCH)).partitions(BATCH):
            for r, *_ in part:
                yield r.id, r.source_id, r.target_id, r.type not in symmetric, {
                    "type": r.type, "n_sources": r.n_sources, "n_evidence": r.n_evidence,
                    "first_seen": r.first_seen, "last_seen": r.last_seen}


def _present(attrs: dict) -> list[tuple[str, object]]:
    return [(k, v) for k, v in attrs.items() if v is not None]


def write_graphml(store, out: TextIO, f: Filters) -> tuple[int, int]:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    out.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
    for name, typ in NODE_ATTRS:
        out.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{typ}"/>\n')
    for name, typ in (*EDGE_ATTRS, ("symmetric", "boolean"), ("weight", "double")):
        out.write(f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="{typ}"/>\n')
    out.write('  <graph id="sitroom" edgedefault="directed">\n')
    n_nodes = n_edges = 0
    for node_id, label, attrs in _nodes(store, f):
        out.write(f"    <node id={quoteattr(node_id)}>")
        out.write(f'<data key="label">{escape(label)}</data>')
        for k, v in _present(attrs):
            out.write(f'<data key="{k}">{escape(str(v))}</data>')
        out.write("</node>\n")
        n_nodes += 1
    for rid, src, tgt, directed, attrs in _edges(store, f):
        out.write(f'    <edge id="r{rid}" source={quoteattr(src)} target={quoteattr(tgt)}>')
        for k, v in _present(attrs):
            out.write(f'<data key="{k}">{escape(str(v))}</data>')
        out.write(f'<data key="symmetric">{"false" if directed else "true"}</data>'
                  f'<data key="weight">{float(attrs["n_sources"] or 0)}</data></edge>\n')
        n_edges += 1
    out.write("  </graph>\n</graphml>\n")
    return n_nodes, n_edges


def write_gexf(store, out: TextIO, f: Filters) -> tuple[int, int]:
    today = datetime.now(UTC).date().isoformat()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
              f'  <meta lastmodifieddate="{today}"><creator>sitroom</creator>'
              '<description>actor network: typed relations with independent-source counts</description></meta>\n'
              '  <graph mode="static" defaultedgetype="directed">\n')
    out.write('    <attributes class="node">\n')
    for name, typ in NODE_ATTRS:
        out.write(f'      <attribute id="{name}" title="{name}" type="{typ}"/>\n')
    out.write('    </attributes>\n    <attributes class="edge">\n')
    for name, typ in EDGE_ATTRS:
        out.write(f'      <attribute id="{name}" title="{name}" type="{typ}"/>\n')
    out.write("    </attributes>\n    <nodes>\n")
    n_nodes = n_edges = 0
    for node_id, label, attrs in _nodes(store, f):
        out.write(f"      <node id={quoteattr(node_id)} label={quoteattr(label)}><attvalues>")
        for k, v in _present(attrs):
            out.write(f'<attvalue for="{k}" value={quoteattr(str(v))}/>')
        out.write("</attvalues></node>\n")
        n_nodes += 1
    out.write("    </nodes>\n    <edges>\n")
    for rid, src, tgt, directed, attrs in _edges(store, f):
        kind = "directed" if directed else "mutual"  # "mutual": both ways, still readable as a digraph
        out.write(f'      <edge id="r{rid}" source={quoteattr(src)} target={quoteattr(tgt)} type="{kind}" '
                  f'label={quoteattr(str(attrs["type"]))} weight="{float(attrs["n_sources"] or 0)}"><attvalues>')
        for k, v in _present(attrs):
            out.write(f'<attvalue for="{k}" value={quoteattr(str(v))}/>')
        out.write("</attvalues></edge>\n")
        n_edges += 1
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return n_nodes, n_edges
