import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import type { OngoingReassignment, PlannedPartition } from '../../../../electron/contract';
import { brokerIds } from '../../stores/reassignmentForms';

/** A plan's partitions: replicas now and after, what is copied and removed, the preferred leader. */
export const planColumnsOf = (): DataTableColumns<PlannedPartition> => [
  { title: 'Partition', key: 'partition', width: 90, className: 'num' },
  { title: 'Replicas now', key: 'current', render: (p) => brokerIds(p.current) },
  {
    title: 'Replicas after',
    key: 'target',
    render: (p) => h('b', { class: p.unchanged ? 'same' : undefined }, brokerIds(p.target)),
  },
  { title: 'Copied to', key: 'adding', render: (p) => brokerIds(p.adding) },
  { title: 'Removed from', key: 'removing', render: (p) => brokerIds(p.removing) },
  {
    title: 'Preferred leader',
    key: 'leader',
    render: (p) =>
      p.leaderChange
        ? h(NTag, { size: 'tiny', type: 'warning', bordered: false }, () => `${p.current[0] ?? '—'} → ${p.target[0]}`)
        : String(p.target[0] ?? '—'),
  },
];
/** A reassignment in progress: from, to, each new replica copying or in sync, what is removed at the end. */
export const ongoingColumnsOf = (): DataTableColumns<OngoingReassignment> => [
  { title: 'Partition', key: 'partition', width: 90, className: 'num' },
  { title: 'From', key: 'original', render: (r) => brokerIds(r.original) },
  { title: 'To', key: 'target', render: (r) => brokerIds(r.target) },
  {
    title: 'Adding',
    key: 'adding',
    render: (r) =>
      r.adding.length
        ? r.adding.map((b) =>
            h(
              NTag,
              {
                size: 'tiny',
                bordered: false,
                type: r.isr.includes(b) ? 'success' : 'default',
                style: 'margin-right:4px',
              },
              () => `${b} ${r.isr.includes(b) ? 'in sync' : 'copying'}`,
            ),
          )
        : '—',
  },
  { title: 'Removing', key: 'removing', render: (r) => brokerIds(r.removing) },
];
