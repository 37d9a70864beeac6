"""Hypothesis strategies: random posts assembled from the pieces real notes are made of."""

from __future__ import annotations

from hypothesis import strategies as st

FRAGMENTS = [
    "梯度检查点用计算换显存。",
    "Self-supervised IoU>0.5 a*b <x> & y_z",
    "👨\u200d👩\u200d👧\u200d👦🇨🇳é\u0301",
    "$\\theta_t$",
    "$\\frac{a}{b}$",
    "$$\\sum_i x_i$$",
    "\\(y_1\\)",
    "`code`",
    "`` a`b ``",
    "**bold**",
    "*em*",
    "~~gone~~",
    "[link](https://example.com/a_b)",
    "[rel](./x.md)",
    "![图](img/a.png)",
    "<https://example.com/auto>",
    "<b>html</b>",
    '<d-cite key="a"></d-cite>',
    "<d-footnote>aside</d-footnote>",
    "[^1]",
    "{% raw %}{{ x }}{% endraw %}",
    "@everyone <@123>",
    "\n\n[^1]: note body\n\n",
    "\n\n```python\nprint('x' * 3)\nif a < b and c > d: pass\n```\n\n",
    "\n\n```\n" + "\n".join(f"line {i} 中文 😀 <&>" for i in range(60)) + "\n```\n\n",
    "\n\n```js\n" + "x" * 5000 + "\n```\n\n",
    "\n\n$$\nE=mc^2\n$$\n\n",
    "\n$$\n\\int_0^1 f\n$$\n",
    "\n\n- a\n- b\n  - nested\n\n",
    "\n\n1. one\n2. two\n\n",
    "\n\n- item\n\n  ```py\n  x = 1\n  ```\n\n",
    "\n\n| a | 名称 |\n|---|---|\n| 1 | 梯度 |\n\n",
    "\n\n> quote\n> ```py\n> in_quote = 1\n> ```\n\n",
    "\n\n> > nested quote\n\n",
    "\n\n# Heading\n\n",
    "\n\n### 三级标题\n\n",
    "\n\n---\n\n",
    '\n\n<div class="l-page">\n<img src="a.png" alt="A">\n<p>caption</p>\n</div>\n\n',
    '\n\n{% include figure.html path="assets/img/x.png" class="img-fluid" %}\n\n',
    "\n\n{% highlight python %}\nprint(1)\n{% endhighlight %}\n\n",
    # CJK-friendly emphasis
    "这是**前1%**的人",
    "**（重要）**的是",
    "Go**「入门」**教程",
    "~~删除的，~~文字",
    "__注意__：事项",
    # kramdown markers, which no reader sees
    '\n{: style="width: 60%;" class="center"}\n',
    "\n{:.image-caption}\n",
    "**加粗**{:.red}",
    '[链接](https://kramdown.gettalong.org){:target="_blank"}',
    '\n\n{: class="table-of-content"}\n* TOC\n{:toc}\n\n',
    "\n\n{::comment}\n注释\n\n多段\n{:/comment}\n\n",
    "{::nomarkdown}<b>原样</b>{:/nomarkdown}",
    '{::options parse_block_html="true" /}',
    "\n\n## 安装 {#install}\n\n",
    "\n\n*[HTML]: HyperText Markup Language\n\n",
    # raw HTML as kramdown reads it
    '<a name="x" />',
    '\n\n<p align="center">居中的一段话</p>\n## 紧跟的标题\n\n',
    '\n\n<div align="center"><img src="x.png"></div>\n**图 2.** 说明\n\n',
    '<font color="red">红色的字',
    '<span style="color: blue">蓝色',
    "</font>",
    '\n\n<iframe src="//player.bilibili.com/player.html?bvid=BV1GJ411x7h7"></iframe>\n\n',
    '看<iframe src="https://www.youtube.com/embed/abc_d">无法播放</iframe>视频',
    "\n\n<p>段</p>\n<!-- 注释\n\n仍是注释 -->\n\n",
    # Liquid and Hugo shortcodes that name an image or a video
    "![图]({{ '/assets/图 一.png' | relative_url }})",
    '<img src="{{ site.baseurl }}/assets/x.png" alt="图">',
    "{{< youtube dQw4w9WgXcQ >}}",
    '{{< figure src="a b.png" caption="图注" >}}',
    "x" * 300,
    "长" * 700,
    "word " * 400,
    "\n",
    " ",
    "<",
    ">",
    "&",
    "\\",
    "_",
    "~",
    "*",
    "$",
    "`",
    "|",
    "#",
]

fragments = st.sampled_from(FRAGMENTS)
markdown_documents = st.lists(fragments, max_size=40).map("".join)
"""Up to forty fragments glued together: joins make new constructs (and broken ones)."""

SOUP = [
    *"`*_~$\\<>&|#-[]()!^{}%:=\"'/\n \t09ab中😀\u200d\u0301",
    "<b>", "</b>", "<a href='https://x'>", "</a>", "<img src='i.png'>", "```", "~~~", "$$",
    "{%", "%}", "{{", "}}", "http://x.y/", "<d-cite>", "</d-cite>", "<d-footnote>",
    "</d-footnote>", "\n\n", "    ", "1. ", "- ", "> ", "| a | b |\n|---|---|\n", "[^1]",
    "[^1]: ", "{:toc}", "{: .x}", "{::comment}", "{:/comment}", "{#id}", "<a name='x' />",
    "<font color='red'>", "</font>", "<iframe src='https://y.example/e'>", "</iframe>", "（",
    "）", "，", "%", "<!--", "-->",
]  # fmt: skip
markup_soup = st.lists(st.sampled_from(SOUP), max_size=200).map("".join)
"""Markup characters and half-constructs in any order: the parser's and renderers' worst day."""
any_markdown = st.one_of(markdown_documents, markup_soup)
