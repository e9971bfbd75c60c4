import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';

export type MessageSchema = typeof zhCN;

/// The one i18n instance; zh-CN is the default and, for now, the only locale.
export const i18n = createI18n<[MessageSchema], 'zh-CN'>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN },
});

/// Translation for code outside components (request module, router guards).
export function t(key: string, named?: Record<string, unknown>): string {
  return named ? i18n.global.t(key, named) : i18n.global.t(key);
}
