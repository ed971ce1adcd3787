import { Col, Form, Input, InputNumber, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead } from '../../api/types.ts';
import { formText, textFields } from '../../lib/forms.ts';
import { useScoringRules } from './leadImport.ts';

export const LEAD_TEXT = ['company', 'title', 'email', 'phone', 'region', 'industry', 'source', 'campaign', 'notes'] as const;

export const leadToValues = (l: Lead) => ({ name: l.name, score: l.score, ...formText(l, [...LEAD_TEXT]) });

export const leadToBody = (v: Record<string, unknown>) => ({
  name: String(v.name ?? '').trim(),
  ...textFields(v, [...LEAD_TEXT]),
  ...(typeof v.score === 'number' ? { score: v.score } : {}),
});

/** The lead's editable fields (create and edit). */
export function LeadFields() {
  const { t } = useTranslation();
  const L = (k: string) => t(`field.${k}`);
  // With active scoring rules the server computes the score (a typed one is refused).
  const rules = useScoringRules();
  const scored = rules.data?.items.some((r) => r.active) ?? true;
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="name" label={L('name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="company" label={L('company')}>
          <Input maxLength={200} />
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
      <Col xs={24} md={12}>
        <Form.Item name="region" label={L('region')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="industry" label={L('industry')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="source" label={L('source')}>
          <Input maxLength={100} list="lead-sources" />
        </Form.Item>
        <datalist id="lead-sources">
          {['web', 'referral', 'event', 'ads', 'partner', 'cold_call'].map((s) => (
            <option key={s} value={s}>
              {t(`source.${s}`)}
            </option>
          ))}
        </datalist>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="campaign" label={L('campaign')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        {scored ? (
          <Form.Item label={L('score')} extra={t('leadScoring.computedHint')}>
            <Typography.Text type="secondary">{t('leadScoring.computed')}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item name="score" label={L('score')}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Col>
      <Col span={24}>
        <Form.Item name="notes" label={L('notes')}>
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
      </Col>
    </Row>
  );
}
