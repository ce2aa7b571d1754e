/** The reader's tools and keyboard shortcuts, listed once: the toolbar, the key handler and the help use this. */
import type { Tool } from './pdf/PdfViewer';

export const TOOLS: ReadonlyArray<{ tool: Tool; label: string; key: string; hint: string }> = [
  { tool: 'select', label: '选择', key: 'V', hint: '选择、拖动批注；选中文字后按 H 或 U 标记' },
  { tool: 'highlight', label: '高亮', key: 'H', hint: '选中文字即高亮' },
  { tool: 'underline', label: '下划线', key: 'U', hint: '选中文字即加下划线' },
  { tool: 'area', label: '框选', key: 'A', hint: '拖动画框，扫描件也能标注' },
  { tool: 'note', label: '便签', key: 'N', hint: '点击页面放置便签' },
  { tool: 'ink', label: '手绘', key: 'D', hint: '按住鼠标拖动手绘' },
  { tool: 'text', label: '文字', key: 'T', hint: '点击或拖动放置文字框' },
];

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['PageDown', 'PageUp'], what: '下一页 / 上一页' },
  { keys: ['Home', 'End'], what: '第一页 / 最后一页' },
  { keys: ['Ctrl', 'G'], what: '跳到指定页（输入页码或页签）' },
  { keys: ['Ctrl', '+ / −'], what: '放大 / 缩小（Ctrl + 滚轮亦可）' },
  { keys: ['Ctrl', '0'], what: '适合宽度' },
  { keys: ['R', 'Shift+R'], what: '当前页顺时针 / 逆时针旋转' },
  { keys: ['Ctrl', 'F'], what: '在本文件中查找（Enter 下一处，Shift+Enter 上一处）' },
  { keys: ['Ctrl', 'Shift', 'F'], what: '全文检索（本案卷或全部案卷）' },
  { keys: [']', '['], what: '下一条 / 上一条批注（在评查表中也可用，再按 E 关联到当前项）' },
  { keys: ['F6'], what: '在案卷与右侧评查表之间切换键盘焦点' },
  { keys: ['V H U A N D T'], what: '切换工具：选择、高亮、下划线、框选、便签、手绘、文字' },
  { keys: ['Enter'], what: '打开选中批注的说明' },
  { keys: ['Delete'], what: '删除选中的批注' },
  { keys: ['Ctrl', 'Z'], what: '撤销' },
  { keys: ['Ctrl', 'Shift', 'Z'], what: '重做（或 Ctrl+Y）' },
  { keys: ['Esc'], what: '回到选择工具，取消选中' },
  { keys: ['?'], what: '显示本帮助' },
];

/** Keys typed into a field belong to the field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && !!target.closest('input, textarea, select, [contenteditable="true"]');
}
