"""Texts for the export's quality gate and the tokenizer parity fixture: English and Chinese
recruitment text, mixed scripts, emoji, and an over-long paragraph that must be truncated."""

PARITY_TEXTS = [
    "Senior algorithm engineer, recommendation / search / ads, PyTorch",
    "Registered nurse, intensive care unit",
    "高级算法工程师（推荐/搜索/广告）",
    "负责电商推荐系统的召回与排序模型，熟悉 PyTorch 和 Spark",
    "Java 后端开发工程师 Backend developer (Spring Boot, Kafka)",
    "Data scientist 👩‍💻 — NLP & LLM fine-tuning",
    "CFO / 首席财务官, IPO experience, 10+ years",
    "truck driver",
    "Led a team of five engineers building ranking models for a marketplace with 20M users; "
    "owned feature pipelines in Spark, online A/B testing and model serving on Kubernetes. " * 12,
    "",
]
