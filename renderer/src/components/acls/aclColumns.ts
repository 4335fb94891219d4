import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import type { AclBinding } from '../../../../electron/contract';
import { RESOURCE_LABELS, operationLabel, resourceText } from '../../stores/aclForms';

/** The columns of a binding, the same in the ACLs table and the previews of the create and delete dialogs. */
export function aclColumns(): DataTableColumns<AclBinding> {
  return [
    {
      title: 'Principal',
      key: 'principal',
      ellipsis: { tooltip: true },
      sorter: (a, b) => a.principal.localeCompare(b.principal),
      render: (b) => h('span', { class: 'mono' }, b.principal),
    },
    {
      title: 'Permission',
      key: 'permission',
      width: 96,
      render: (b) =>
        h(
          NTag,
          { size: 'small', bordered: false, type: b.permission === 'DENY' ? 'error' : 'success' },
          () => b.permission,
        ),
    },
    {
      title: 'Operation',
      key: 'operation',
      width: 170,
      // IDEMPOTENT WRITE on one line
      render: (b) => h('span', { style: 'white-space:nowrap' }, operationLabel(b.operation)),
    },
    {
      title: 'Resource',
      key: 'resourceType',
      width: 130,
      render: (b) => (RESOURCE_LABELS as Record<string, string>)[b.resourceType] ?? b.resourceType,
    },
    {
      title: 'Name',
      key: 'resourceName',
      ellipsis: { tooltip: true },
      sorter: (a, b) => a.resourceName.localeCompare(b.resourceName),
      render: (b) => [
        h('span', { class: 'mono' }, resourceText(b)),
        b.patternType === 'PREFIXED'
          ? h(
              NTag,
              {
                size: 'tiny',
                bordered: false,
                type: 'info',
                style: 'margin-left:8px',
                title: 'every name that starts with it',
              },
              () => 'prefix',
            )
          : null,
      ],
    },
    { title: 'Host', key: 'host', width: 110, render: (b) => h('span', { class: 'mono' }, b.host) },
  ];
}
