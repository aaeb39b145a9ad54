import { useEffect, useEffectEvent } from 'react';

const STORAGE_KEY = 'wangge.lastActivity';
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
const CHECK_EVERY_MS = 10_000;
const RECORD_EVERY_MS = 5_000;

function sharedLastActivity(): number {
  try {
    return Number(localStorage.getItem(STORAGE_KEY)) || 0;
  } catch {
    return 0;
  }
}

function recordActivity(at: number): void {
  try {
    localStorage.setItem(STORAGE_KEY, String(at));
  } catch {
    // Without storage each tab keeps its own clock.
  }
}

/**
 * Calls `onIdle` once the user has done nothing for `minutes` in any tab of the console
 * (activity is shared through localStorage, so a busy tab keeps an idle one signed in).
 */
export function useIdleTimeout(minutes: number, onIdle: () => void): void {
  const fire = useEffectEvent(onIdle);

  useEffect(() => {
    if (!(minutes > 0)) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    recordActivity(last);

    const mark = () => {
      const now = Date.now();
      if (now - last >= RECORD_EVERY_MS) {
        last = now;
        recordActivity(now);
      }
    };
    const check = () => {
      last = Math.max(last, sharedLastActivity());
      if (Date.now() - last >= limit) fire();
    };

    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, mark, { passive: true, capture: true });
    document.addEventListener('visibilitychange', check);
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, mark, { capture: true });
      document.removeEventListener('visibilitychange', check);
      window.clearInterval(timer);
    };
  }, [minutes]);
}
