import { Select } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { normalizeLanguage } from '../i18n/index.ts';

/** Switches the UI language; i18next remembers the choice in localStorage. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('header.language')}
      data-testid="language-switch"
      size="small"
      variant="borderless"
      suffixIcon={<GlobalOutlined />}
      value={normalizeLanguage(i18n.resolvedLanguage ?? i18n.language)}
      onChange={(v) => void i18n.changeLanguage(v)}
      options={[
        { value: 'zh-CN', label: '简体中文' },
        { value: 'en', label: 'English' },
      ]}
      style={{ width: 120 }}
      popupMatchSelectWidth={false}
    />
  );
}
