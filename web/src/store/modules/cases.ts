// The signed-in user's work queue size for the 待办 badge in the side menu.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { getWorkQueue } from '@/api/cases';

export const useCasesStore = defineStore('cases', () => {
  const queueCount = ref(0);
  const queueOverdue = ref(0);
  let pending: Promise<void> | null = null;

  /// Re-reads the queue; concurrent callers share one request; failures keep the last numbers.
  function refreshQueue(): Promise<void> {
    pending ??= getWorkQueue(true)
      .then((queue) => {
        queueCount.value = queue.total;
        queueOverdue.value = queue.overdue;
      })
      .catch(() => undefined)
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  return { queueCount, queueOverdue, refreshQueue };
});
