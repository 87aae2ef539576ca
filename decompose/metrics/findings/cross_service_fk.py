"""Foreign keys and relationships whose two models belong to different services."""

from __future__ import annotations

from decompose.graph import ModelRef, ResolvedRelation
from decompose.metrics.findings.base import FindingContext
from decompose.model import Finding

_CONSTRAINTS = {"foreign_key", "one_to_one", "many_to_many"}  # enforced by the database


class CrossServiceForeignKeyDetector:
    """One finding per pair of models in two services joined by a relation.

    High when a relation is a database constraint (foreign key, one-to-one,
    many-to-many), medium when only an ORM `relationship()` joins them. Models in the
    shared kernel are left to the shared_model detector.
    """

    name = "cross_service_fk"

    def find(self, context: FindingContext) -> list[Finding]:
        """Findings for each (source model, target model) pair across services."""
        grouped: dict[tuple[ModelRef, ModelRef], list[ResolvedRelation]] = {}
        for relation in context.graph.graph.get("relations", ()):
            source, target = context.owner(relation.source), context.owner(relation.target)
            if source is not None and target is not None and source != target:
                grouped.setdefault((relation.source, relation.target), []).append(relation)
        ordered = sorted(grouped.items(), key=lambda item: _key(*item[0]))
        return [self._finding(context, relations) for _, relations in ordered]

    def _finding(self, context: FindingContext, relations: list[ResolvedRelation]) -> Finding:
        source, target = relations[0].source, relations[0].target
        source_service, target_service = context.owner(source), context.owner(target)
        fields = ", ".join(sorted({r.field for r in relations}))
        constraint = any(r.kind in _CONSTRAINTS for r in relations)
        pairs = [(r.source.module, r.line) for r in relations]
        pairs.append((target.module, context.model_line(target)))
        return Finding(
            kind=self.name,
            severity="high" if constraint else "medium",
            services=tuple(sorted({str(source_service), str(target_service)})),
            detail=(
                f"{source.name} ({source_service}) references {target.name} ({target_service}) "
                f"through {fields}: keep the id as a plain value and get {target_service} data "
                "through its API or events instead of a join."
            ),
            locations=context.locations(pairs),
        )


def _key(source: ModelRef, target: ModelRef) -> tuple[str, str, str, str]:
    return (source.module, source.name, target.module, target.name)
