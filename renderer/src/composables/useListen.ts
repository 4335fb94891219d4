import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import type { AppError, ChannelInput, ListenStatus, StartPosition } from '../../../electron/contract';

type ListenStartInput = ChannelInput<'listen.start'>;
import { api } from '../api';
import { listenRunning } from '../operations/listenForm';

/**
 * One screen's Listen in the core: its status (kept up to date by the batches the core pushes to every
 * window), start, pause / resume and stop. `onRows` is called when more messages arrived, at most once
 * per frame however fast batches come. When the screen goes away (its tab closed) the Listen stops and
 * is discarded with its messages.
 */
export function useListen(onRows: () => void) {
  const status = ref<ListenStatus | null>(null);
  const running = computed(() => listenRunning(status.value?.state));
  let off: (() => void) | undefined;
  let pending = false;
  onMounted(() => {
    off = api.on('listen.batch', (b) => {
      if (!status.value || b.status.listenId !== status.value.listenId) return;
      status.value = b.status;
      if (!b.messages.length || pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        onRows();
      });
    });
  });
  onBeforeUnmount(() => {
    off?.();
    const s = status.value;
    if (s && running.value)
      void api.listen.stop({ listenId: s.listenId }).then(() => api.listen.discard({ listenId: s.listenId }));
    else if (s) void api.listen.discard({ listenId: s.listenId });
  });

  /** Starts a new Listen (a stopped one shown before is discarded); its refusal, or null. */
  async function start(
    connectionId: string,
    topic: string,
    from: StartPosition,
    decode: Pick<ListenStartInput, 'keyFormat' | 'valueFormat' | 'onUndecodable'> = {},
  ): Promise<AppError | null> {
    if (status.value && !running.value) void api.listen.discard({ listenId: status.value.listenId });
    const r = await api.listen.start({ id: connectionId, topic, start: from, ...decode });
    if (!r.ok) return r.error;
    status.value = r.value;
    return null;
  }
  async function stop() {
    if (!status.value) return;
    const r = await api.listen.stop({ listenId: status.value.listenId });
    if (r.ok) status.value = r.value;
  }
  async function togglePause() {
    if (!status.value) return;
    const { listenId } = status.value;
    const r =
      status.value.state === 'paused' ? await api.listen.resume({ listenId }) : await api.listen.pause({ listenId });
    if (r.ok) status.value = r.value;
  }
  return { status, running, start, stop, togglePause };
}
