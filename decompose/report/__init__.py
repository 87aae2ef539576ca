"""Rendering and writing reports: decomposition.json, report.md, report.html, graph exports."""
