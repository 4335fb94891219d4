// Runs in the page (added with page.addScriptTag): the layout problems a user would see on the
// current screen. Plain browser JavaScript, so the Node-typed test program needs no DOM types.
/* global window, document, getComputedStyle */
window.__layoutProblems = () => {
  const problems = [];
  const describe = (el) => {
    const tid = el.closest('[data-testid]')?.getAttribute('data-testid');
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${tid ? ` in ${tid}` : ''}> "${text}"`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
  };
  // text cut with an ellipsis on purpose (the full text on hover): the box itself, a box around
  // it up to the control, or the boxes inside it that hold the text
  const ellipsed = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).textOverflow === 'ellipsis') return true;
      if (e.matches('button, label, th, td, [role=cell], [role=columnheader]')) break;
    }
    for (const d of el.querySelectorAll('*'))
      if (getComputedStyle(d).textOverflow === 'ellipsis' && d.scrollWidth > d.clientWidth) return true;
    return false;
  };
  const sider = document.querySelector('.n-layout-sider')?.getBoundingClientRect();
  const screen = document.querySelector('.screen');
  const vw = window.innerWidth;
  // 1. text that runs out of its own box (buttons, labels, headings, tags, tabs, column headers)
  const boxes = document.querySelectorAll(
    'button, .n-button, label, .n-form-item-label, h1, h2, h3, h4, .n-tag, .n-tabs-tab, [role=columnheader], th, .n-radio-button, .n-card-header__main',
  );
  for (const el of boxes) {
    if (!visible(el) || ellipsed(el)) continue;
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    if (text.width < 1) continue;
    if (text.right > box.right + 2 || text.left < box.left - 2)
      problems.push(
        `text overflows its box: ${describe(el)} (text ${Math.round(text.left)}–${Math.round(text.right)}, box ${Math.round(box.left)}–${Math.round(box.right)})`,
      );
  }
  // 2. controls cut off by an ancestor that hides overflow, or by the window
  const controls = document.querySelectorAll(
    'button, input:not([type=hidden]), textarea, select, a[href], [role=button], [role=tab], .n-base-selection',
  );
  for (const el of controls) {
    if (!visible(el)) continue;
    if (
      el.closest(
        '.monaco-editor, .n-base-selection-input-tag, .n-base-selection-tags, .n-data-table-base-table-body, .n-virtual-list, [data-layout-check=skip]',
      )
    )
      continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1) {
      // beyond the window: fine only inside a horizontal scroller
      let scroller = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if ((ox === 'auto' || ox === 'scroll') && a.scrollWidth > a.clientWidth) scroller = true;
      }
      if (!scroller) problems.push(`control beyond the window's right edge: ${describe(el)}`);
    }
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      const clips = (v) => v === 'hidden' || v === 'clip';
      if (!clips(s.overflowX) && !clips(s.overflowY)) continue;
      const ar = a.getBoundingClientRect();
      const cutX = clips(s.overflowX) && (r.left < ar.left - 1 || r.right > ar.right + 1);
      const cutY = clips(s.overflowY) && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1);
      // a control entirely outside a clipping box is a collapsed section, not a clipped control
      const inside = r.right > ar.left && r.left < ar.right && r.bottom > ar.top && r.top < ar.bottom;
      if ((cutX || cutY) && inside) {
        problems.push(`control clipped by its container: ${describe(el)}`);
        break;
      }
    }
  }
  // 3. nothing of the screen runs under the sidebar
  if (sider && screen) {
    for (const el of screen.querySelectorAll('*')) {
      if (el.children.length || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.left < sider.right - 1 && r.right > sider.left) {
        problems.push(`under the sidebar: ${describe(el)}`);
        break;
      }
    }
  }
  return [...new Set(problems)];
};
