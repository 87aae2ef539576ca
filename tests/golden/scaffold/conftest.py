"""The golden scaffold holds generated services, tests included: pytest must not collect them."""

collect_ignore_glob = ["*"]
