"""The app's look: a calm theme from system fonts (nothing fetched at run time) and a little CSS."""

from __future__ import annotations

import gradio as gr

FONT = ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.teal,
        secondary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_lg,
        font=FONT,
        font_mono=MONO,
    ).set(
        body_background_fill="#f6f8f9",
        block_shadow="0 1px 2px rgba(15, 23, 42, 0.06)",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        button_cancel_background_fill="#fef2f2",
        button_cancel_background_fill_hover="#fee2e2",
        button_cancel_text_color="#b91c1c",
        button_cancel_border_color="#fecaca",
    )


CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
.gradio-container main, .gradio-container .contain { width: 100% !important; }
#topbar { display: flex; align-items: center; justify-content: space-between; gap: 12px;
  flex-wrap: wrap; padding: 6px 4px 2px; }
#topbar .brand { font-size: 1.35rem; font-weight: 700; color: #0f3d3e; letter-spacing: -0.01em; }
#topbar .brand small { font-weight: 400; color: #557; font-size: 0.9rem; margin-left: 8px; }
.ai-badge { display: inline-flex; align-items: center; gap: 6px; background: #e6f4f1;
  color: #0f5a52; border: 1px solid #b9e2da; border-radius: 999px; padding: 4px 12px;
  font-size: 0.85rem; }
.user-chip { color: #334; font-size: 0.9rem; }
.user-chip a { color: #0f766e; margin-left: 10px; }
.crisis-banner { background: #eef6ff; border: 1px solid #b8d4f5; border-left: 5px solid #3b82c4;
  color: #16324f; border-radius: 10px; padding: 12px 16px; line-height: 1.5; }
.crisis-banner ul { margin: 6px 0 6px 18px; }
.crisis-banner span { font-size: 0.9rem; color: #38506b; }
.hint { color: #667; font-size: 0.82rem; margin-top: -4px; }
.why-panel { font-size: 0.92rem; }
.why-panel h4 { margin: 10px 0 4px !important; font-size: 0.95rem !important; color: #0f3d3e; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.stat { background: white; border: 1px solid #e2e8f0; border-radius: 12px; padding: 12px 14px; }
.stat-value { font-size: 1.5rem; font-weight: 700; color: #0f5a52; }
.stat-label { color: #64748b; font-size: 0.85rem; }
.summary { padding: 4px 8px; }
.always-on { opacity: 0.95; }
#memory-table td, #memory-table th, #memory-table td * { font-family: inherit !important; }
.side-title { font-weight: 600; color: #0f3d3e; }
.demo-reply { background: white; border: 1px solid #e2e8f0; border-radius: 12px;
  padding: 4px 14px; min-height: 120px; }
#diff-a *, #diff-b * { word-break: normal !important; overflow-wrap: break-word; }
@media (max-width: 640px) {
  #topbar .brand small { display: none; }
  .gradio-container { padding: 4px !important; }
  .chat-col { order: -1; }  /* on a phone the conversation comes first, the list after it */
}
"""
