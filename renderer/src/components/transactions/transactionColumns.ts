import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import type { Transaction } from '../../../../electron/contract';
import { openParts, stateAbout, stateTag } from '../../stores/transactionForms';
import { fullTime, localTime } from '../format';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The transactions table: id, state, producer and epoch, how long open since when against its timeout (hung marked), partitions, coordinator. */
export function transactionColumns(id: string, hungAfterMs: () => number | null): DataTableColumns<Transaction> {
  return [
    {
      title: 'Transactional id',
      key: 'transactionalId',
      minWidth: 200,
      ellipsis: { tooltip: true },
      sorter: (a, b) => byText(a.transactionalId, b.transactionalId),
      render: (t) => h('span', { class: 'mono', 'data-testid': `txn-id-${t.transactionalId}` }, t.transactionalId),
    },
    {
      title: 'State',
      key: 'state',
      width: 135,
      sorter: (a, b) => byText(a.state, b.state),
      render: (t) =>
        h(NTag, { size: 'small', bordered: false, type: stateTag(t.state), title: stateAbout(t.state) }, () => t.state),
    },
    {
      title: 'Producer',
      key: 'producerId',
      width: 110,
      render: (t) =>
        h('span', { class: 'num', title: 'producer id · epoch' }, [
          t.producerId,
          t.producerEpoch === null ? null : h('span', { class: 'epoch' }, ` · ${t.producerEpoch}`),
        ]),
    },
    {
      title: 'Open for',
      key: 'openMs',
      width: 215,
      sorter: (a, b) => (a.openMs ?? -1) - (b.openMs ?? -1),
      render: (t) => {
        const { open, limit } = openParts(t, hungAfterMs());
        const started = t.startedAt ? Date.parse(t.startedAt) : null;
        return h('div', { class: 'open-cell' }, [
          h('div', { class: 'open' }, [
            t.hung
              ? h(
                  NTag,
                  { size: 'tiny', type: 'error', bordered: false, class: 'hung', 'data-testid': 'txn-hung' },
                  () => 'hung',
                )
              : null,
            open ?? (t.problem ? h('span', { class: 'problem' }, t.problem) : 'not open'),
          ]),
          started === null && !limit
            ? null
            : h('div', { class: 'sub', title: started === null ? undefined : fullTime(started) }, [
                started === null ? '' : `${open ? 'since' : 'began'} ${localTime(started)}`,
                started !== null && limit ? h('br') : null,
                limit ?? '',
              ]),
        ]);
      },
    },
    {
      title: 'Partitions',
      key: 'partitions',
      minWidth: 200,
      render: (t) =>
        t.partitions.length === 0
          ? '—'
          : h(
              'span',
              { class: 'parts' },
              t.partitions.map((p) =>
                h(
                  RouterLink,
                  {
                    to: `/connections/${id}/topics/${encodeURIComponent(p.topic)}`,
                    class: 'mono part',
                    title: `${p.topic}: partitions ${p.partitions.join(', ')}`,
                  },
                  () => `${p.topic} [${p.partitions.join(', ')}]`,
                ),
              ),
            ),
    },
    {
      title: 'Coordinator',
      key: 'coordinator',
      width: 105,
      className: 'num',
      render: (t) => (t.coordinator === null ? '—' : `broker ${t.coordinator}`),
    },
  ];
}
