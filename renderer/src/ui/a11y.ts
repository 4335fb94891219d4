/**
 * Names for the few controls Naive UI renders without one and offers no prop to name: the
 * InputNumber's − and + buttons (mouse helpers; the keyboard uses the arrow keys) and DynamicTags'
 * icon-only "+" button. Written by hand
 * because the library has no option for it; everything that can be named through props is named
 * where it is used (aria-label, input-props).
 */
function nameSteppers(root: ParentNode): void {
  for (const number of root.querySelectorAll<HTMLElement>('.n-input-number')) {
    const buttons = number.querySelectorAll<HTMLButtonElement>('.n-input__suffix > button, .n-input__prefix > button');
    if (!buttons.length) continue;
    const last = buttons[buttons.length - 1]!;
    for (const b of buttons) {
      if (b.hasAttribute('aria-label')) continue;
      b.setAttribute('aria-label', b === last ? 'Increase' : 'Decrease');
    }
  }
}

function nameTagAdders(root: ParentNode): void {
  for (const b of root.querySelectorAll<HTMLButtonElement>('.n-dynamic-tags button.n-button--dashed:not([aria-label])'))
    b.setAttribute('aria-label', 'Add a tag');
}

/** Watches the document and names such controls as they appear. */
export function installControlNames(doc: Document = document): void {
  nameSteppers(doc);
  nameTagAdders(doc);
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      nameSteppers(doc);
      nameTagAdders(doc);
    });
  }).observe(doc.body, { childList: true, subtree: true });
}
