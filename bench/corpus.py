"""A realistic, deterministic corpus of N posts for benchmarks (same seed, same bytes).

Mixes Chinese and English notes with headings, lists, code blocks, inline and display math,
tables, links, tags and dates spread over several years, at sizes like the reference feed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

TAGS = [
    "LLM",
    "训练",
    "推理",
    "强化学习",
    "优化器",
    "扩散模型",
    "注意力",
    "分布式",
    "微调",
    "评测",
    "显存",
    "架构",
    "数据",
    "视觉",
    "对齐",
    "量化",
    "CUDA",
    "RAG",
    "Agent",
    "多模态",
]
ZH_WORDS = (
    "模型 参数 梯度 显存 训练 推理 注意力 矩阵 损失 优化 采样 分布 数据 批次 精度 "
    "学习率 激活 权重 专家 路由 缓存 序列 长度 计算 通信 并行 收敛 正则 偏置 温度 "
    "奖励 策略 价值 优势 裁剪 检查点 量化 蒸馏 对齐 评测 检索 向量 编码 解码"
).split()
EN_WORDS = (
    "model gradient memory training inference attention matrix loss optimizer "
    "sampling distribution batch precision learning rate activation weight expert "
    "router cache sequence length compute communication parallel convergence bias "
    "temperature reward policy value advantage clipping checkpoint quantization"
).split()
CODE = [
    "import torch\n\ndef step(model, batch, opt):\n    loss = model(batch).mean()\n"
    "    loss.backward()\n    opt.step()\n    opt.zero_grad(set_to_none=True)\n    return loss",
    "def softmax(x):\n    m = x.max(-1, keepdims=True)\n    e = np.exp(x - m)\n"
    "    return e / e.sum(-1, keepdims=True)",
    "for i in range(n):\n    acc += a[i] * b[i]  # 累加\nprint(acc)",
]
MATH_INLINE = [
    r"$\theta_t$",
    r"$x^2$",
    r"$\beta_1$",
    r"$\frac{a}{b}$",
    r"$\nabla_\theta L$",
    r"$O(N^2)$",
    r"$\alpha$",
]
MATH_BLOCK = [
    r"$$\mathcal{L} = -\sum_i y_i \log p_i$$",
    r"$$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t$$",
    r"$$\mathrm{softmax}(QK^T/\sqrt{d})V$$",
]


def _sentence(rng: random.Random, chinese: bool) -> str:
    words = ZH_WORDS if chinese else EN_WORDS
    count = rng.randint(8, 20)
    picked = [rng.choice(words) for _ in range(count)]
    if rng.random() < 0.4:
        picked.insert(rng.randrange(len(picked)), rng.choice(MATH_INLINE))
    if chinese:
        return "".join(picked) + "。"
    return " ".join(picked).capitalize() + "."


def _paragraph(rng: random.Random, chinese: bool) -> str:
    return ("" if chinese else " ").join(_sentence(rng, chinese) for _ in range(rng.randint(2, 5)))


def post_text(index: int, seed: int = 0) -> tuple[str, str]:
    """(file name, file content) of post `index` — a pure function of (index, seed)."""
    rng = random.Random(seed * 1_000_003 + index)
    chinese = rng.random() < 0.7
    date = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
    tags = rng.sample(TAGS, rng.randint(1, 3))
    title = (
        f"{rng.choice(ZH_WORDS)}{rng.choice(ZH_WORDS)}笔记 {index}"
        if chinese
        else f"Notes on {rng.choice(EN_WORDS)} {index}"
    )
    parts = [
        f'---\ntitle: "{title}"\ndate: {date.isoformat()}\ntags: [{", ".join(tags)}]\n'
        f"slug: post-{index}\n---\n"
    ]
    for section in range(rng.randint(2, 4)):
        parts.append(f"## {'小节' if chinese else 'Section'} {section + 1}\n")
        parts.append(_paragraph(rng, chinese) + "\n")
        roll = rng.random()
        if roll < 0.35:
            parts.append(f"```python\n{rng.choice(CODE)}\n```\n")
        elif roll < 0.55:
            parts.append(rng.choice(MATH_BLOCK) + "\n")
        elif roll < 0.65:
            parts.append("| a | b |\n|---|---|\n| 1 | 2 |\n| 梯度 | 显存 |\n")
        elif roll < 0.8:
            parts.append("\n".join(f"- {_sentence(rng, chinese)}" for _ in range(3)) + "\n")
    if rng.random() < 0.3:
        parts.append("See [the paper](https://arxiv.org/abs/2205.14135).\n")
    return f"p{index // 1000:03}/post-{index:06}.md", "\n".join(parts)


def write_corpus(root: Path, count: int, seed: int = 0) -> int:
    """Write `count` posts under `root`; returns the total size in bytes."""
    total = 0
    for index in range(count):
        name, text = post_text(index, seed)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def copy_corpus(source: Path, root: Path, count: int) -> int:
    """`count` posts under `root` made of the real posts below `source`, in turn, each
    copy under a name of its own (so its own slug); returns the total size in bytes."""
    originals = sorted(path for path in source.rglob("*.md") if path.is_file())
    if not originals:
        raise SystemExit(f"no .md files below {source}")
    root.mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(count):
        original = originals[index % len(originals)]
        data = original.read_bytes()
        (root / f"{original.stem}-{index // len(originals)}.md").write_bytes(data)
        total += len(data)
    return total
