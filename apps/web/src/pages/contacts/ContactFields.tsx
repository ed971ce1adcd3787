import { Col, Form, Input, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../api/types.ts';
import { RefSelect } from '../../components/RefSelect.tsx';
import { formText, textFields } from '../../lib/forms.ts';

const TEXT = ['title', 'email', 'phone'] as const;

export const contactToValues = (c: Contact) => ({ name: c.name, accountId: c.accountId, ...formText(c, [...TEXT]) });

export const contactToBody = (creating: boolean) => (v: Record<string, unknown>) => ({
  name: String(v.name ?? '').trim(),
  ...(creating ? { accountId: v.accountId ?? undefined } : {}),
  ...textFields(v, [...TEXT]),
});

export function ContactFields({ creating }: { creating: boolean }) {
  const { t } = useTranslation();
  const L = (k: string) => t(`field.${k}`);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="name" label={L('name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="accountId" label={L('account')} rules={[{ required: true, message: t('validation.required') }]}>
          <RefSelect type="accounts" disabled={!creating} placeholder={t('convert.searchAccount')} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="title" label={L('title')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="email" label={L('email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} type="email" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="phone" label={L('phone')}>
          <Input maxLength={30} />
        </Form.Item>
      </Col>
    </Row>
  );
}
