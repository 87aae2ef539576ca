"""The measure stage: quality metrics, agreement, API surface, findings and migration order."""

from decompose.metrics.api_surface import owned_models, public_api, service_dependencies
from decompose.metrics.compare import (
    Agreement,
    adjusted_rand_index,
    check_overlap,
    compare_partitions,
    normalized_mutual_information,
)
from decompose.metrics.findings import (
    DETECTORS,
    Detector,
    FindingContext,
    FindingThresholds,
    find_all,
)
from decompose.metrics.migration import migration_order
from decompose.metrics.mojo import max_mno, mno, mojofm
from decompose.metrics.quality import (
    decomposition_metrics,
    icp,
    ifn,
    modularity,
    mq,
    ned,
    service_metrics,
    structural_modularity,
)
from decompose.metrics.services import Partition, members, service_graph

__all__ = [
    "DETECTORS",
    "Agreement",
    "Detector",
    "FindingContext",
    "FindingThresholds",
    "Partition",
    "adjusted_rand_index",
    "check_overlap",
    "compare_partitions",
    "decomposition_metrics",
    "find_all",
    "icp",
    "ifn",
    "max_mno",
    "members",
    "migration_order",
    "mno",
    "modularity",
    "mojofm",
    "mq",
    "ned",
    "normalized_mutual_information",
    "owned_models",
    "public_api",
    "service_dependencies",
    "service_graph",
    "service_metrics",
    "structural_modularity",
]
