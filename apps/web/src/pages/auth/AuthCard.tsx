import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../layout/LanguageSwitch.tsx';

/** The centred card of the sign-in and first-run pages. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="ltc-auth-page">
      <Card style={{ width: 420, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <Flex align="center" gap={8}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <Typography.Text strong style={{ fontSize: 18 }}>
              OpenLTC
            </Typography.Text>
          </Flex>
          <LanguageSwitch />
        </Flex>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>}
        {children}
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
          {t('app.tagline')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
