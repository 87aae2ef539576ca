"""Rendering and writing reports: decomposition.json, report.md, report.html, graph exports."""

from decompose.report.html import render_html
from decompose.report.json_report import json_schema, load_decomposition, render_json
from decompose.report.markdown import render_markdown
from decompose.report.views import ReportView, build_view
from decompose.report.writer import REPORT_FORMATS, check_report_files, write_reports

__all__ = [
    "REPORT_FORMATS",
    "ReportView",
    "build_view",
    "check_report_files",
    "json_schema",
    "load_decomposition",
    "render_html",
    "render_json",
    "render_markdown",
    "write_reports",
]
