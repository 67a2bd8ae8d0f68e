from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks and load tests: their data, their commands (bench, bench_pdf, load, seed_bench)
    and the locust scenario. No models."""

    name = "pac.bench"
    label = "pac_bench"
