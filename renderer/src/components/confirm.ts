import type { useDialog } from 'naive-ui';
import type { Connection } from '../../../electron/contract';

type Dialog = ReturnType<typeof useDialog>;

function ask(dialog: Dialog, title: string, content: string, positiveText: string): Promise<boolean> {
  return new Promise((resolve) => {
    dialog.warning({
      title,
      content,
      positiveText,
      negativeText: 'Cancel',
      maskClosable: false,
      onPositiveClick: () => resolve(true),
      onNegativeClick: () => resolve(false),
      onClose: () => resolve(false),
      onEsc: () => resolve(false),
    });
  });
}

/** Asks before anything destructive; on a production-tagged connection it asks a second time. */
export async function confirmDestructive(
  dialog: Dialog,
  connection: Connection | null | undefined,
  title: string,
  content: string,
  action: string,
): Promise<boolean> {
  if (!(await ask(dialog, title, content, action))) return false;
  if (connection?.environment !== 'production') return true;
  return ask(
    dialog,
    `Production: ${connection.name}`,
    `'${connection.name}' is tagged production. ${title.replace(/\?$/, '')} — are you sure?`,
    `Yes, ${action.toLowerCase()}`,
  );
}
