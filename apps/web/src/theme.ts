import type { ThemeConfig } from 'antd';

/**
 * Ant Design's tokens, darkened where the defaults miss WCAG AA contrast (4.5:1 for text) on white:
 * the primary blue (links, primary buttons, the selected menu item), the error red and the
 * secondary/description grey. Checked by the axe-core browser test on the key screens.
 */
export const THEME_TOKENS: ThemeConfig['token'] = {
  colorPrimary: '#0958d9',
  colorLink: '#0958d9',
  colorInfo: '#0958d9',
  colorError: '#cf1322',
  colorSuccess: '#237804',
  colorWarning: '#ad6800',
  colorTextDescription: 'rgba(0, 0, 0, 0.62)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  borderRadius: 6,
};
