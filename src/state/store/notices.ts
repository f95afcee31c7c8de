// Notices: short messages in words (info, warnings, errors) the page lists until dismissed.
import { set, type Notice } from './base';

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string) {
  set((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { id: ++noticeId, kind, text }] }));
}
export function dismissNotice(id: number) {
  set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
