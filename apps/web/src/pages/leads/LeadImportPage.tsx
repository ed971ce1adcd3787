import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { problemMessage } from '../../components/errors.ts';
import { download } from '../../lib/download.ts';
import {
  fileToBase64,
  useImportSchema,
  type ImportBatch,
  type ImportIssue,
  type ImportPreview,
} from './leadImport.ts';

/**
 * Leads → Import: upload a CSV or Excel file, check the detected column mapping on the first rows
 * (and change it), choose what happens to duplicates, import, follow the progress, and read the
 * result: created / updated / duplicates / errors, each row's problems, the error report as CSV.
 */
export function LeadImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can, me } = useAuth();
  const qc = useQueryClient();
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [encoding, setEncoding] = useState('auto');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [dedupe, setDedupe] = useState<'skip' | 'update'>('skip');
  const [owner, setOwner] = useState<'me' | 'none'>('me');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [batchId, setBatchId] = useState<string | null>(null);

  const readPreview = async (f: { name: string; content: string }, enc: typeof encoding) => {
    setBusy(true);
    setError(null);
    try {
      const p = await api.post<ImportPreview>('/leads/imports/preview', {
        fileName: f.name,
        content: f.content,
        encoding: enc,
      });
      setPreview(p);
      setMapping(p.mapping);
    } catch (e) {
      setPreview(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const b = await api.post<ImportBatch>('/leads/imports', {
        fileName: file.name,
        content: file.content,
        encoding,
        mapping,
        dedupe,
        assignment: { mode: owner },
      });
      setBatchId(b.id);
      qc.setQueryData(['lead-imports', b.id], b);
      void qc.invalidateQueries({ queryKey: ['leads'] });
    } catch (e) {
      setError(e);
      void message.error(problemMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setBatchId(null);
    setError(null);
  };

  // What a column may fill comes from the server (GET /leads/import/schema), never a copy of its list.
  const schema = useImportSchema();
  const targets = [...(schema.data?.fields ?? []), ...(schema.data?.customFields.suggested ?? [])];
  const labelOf = (target: string) => {
    const f = targets.find((x) => x.key === target);
    return f ? t(f.labelKey) : target;
  };
  const targetOptions = [
    { value: '', label: t('leadImport.skipColumn') },
    ...targets.map((f) => ({ value: f.key, label: t(f.labelKey) })),
  ];
  const encodingOptions = (schema.data?.encodings ?? []).map((e) => ({
    value: e.key,
    label: e.labelKey ? t(e.labelKey) : (e.label ?? e.key),
  }));
  const used = new Map<string, number>();
  for (const v of Object.values(mapping)) if (v) used.set(v, (used.get(v) ?? 0) + 1);
  const missing = (schema.data?.fields ?? []).filter((f) => f.required && !used.has(f.key));
  const twice = [...used.entries()].filter(([, n]) => n > 1).map(([f]) => f);

  if (!can('lead', 'write') || me?.permissions.lead?.scope !== 'all') return <Alert type="warning" showIcon message={t('leadImport.notAllowed')} />;

  return (
    <>
      <PageHeader title={t('leadImport.title')} crumbs={[{ label: t('nav.leads'), to: '/leads' }]} />
      {batchId ? (
        <ImportResult batchId={batchId} onAgain={reset} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('leadImport.step1')} size="small">
            <Upload.Dragger
              accept=".csv,.txt,.xlsx"
              maxCount={1}
              showUploadList={false}
              data-testid="import-upload"
              beforeUpload={async (f) => {
                const content = await fileToBase64(f);
                const next = { name: f.name, content };
                setFile(next);
                await readPreview(next, encoding);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{file ? file.name : t('leadImport.drop')}</p>
              <p className="ant-upload-hint">{t('leadImport.hint')}</p>
            </Upload.Dragger>
            <Space style={{ marginTop: 12 }}>
              <Typography.Text>{t('leadImport.encoding')}</Typography.Text>
              <Select
                value={encoding}
                style={{ width: 200 }}
                aria-label={t('leadImport.encoding')}
                loading={schema.isPending}
                onChange={(v: string) => {
                  setEncoding(v);
                  if (file) void readPreview(file, v);
                }}
                options={encodingOptions}
              />
              {preview && (
                <Typography.Text type="secondary" data-testid="import-detected">
                  {t('leadImport.detected', {
                    format: preview.format.toUpperCase(),
                    encoding: preview.encoding,
                    rows: preview.totalRows,
                  })}
                </Typography.Text>
              )}
            </Space>
          </Card>
          {schema.isError && <ErrorAlert error={schema.error} onRetry={() => void schema.refetch()} />}
          {!!error && <ErrorAlert error={error} />}
          {preview && (
            <Card title={t('leadImport.step2')} size="small">
              <Typography.Paragraph type="secondary">{t('leadImport.mappingHelp')}</Typography.Paragraph>
              <Table<{ key: number; cells: string[] }>
                size="small"
                pagination={false}
                scroll={{ x: true }}
                data-testid="import-preview"
                dataSource={preview.sample.map((cells, i) => ({ key: i, cells }))}
                columns={[
                  { key: 'row', title: t('leadImport.row'), width: 60, render: (_, r) => r.key + 2 },
                  ...preview.headers.map((h, j) => ({
                    key: h,
                    title: (
                      <Space direction="vertical" size={4}>
                        <Typography.Text strong>{h}</Typography.Text>
                        <Select
                          size="small"
                          style={{ minWidth: 130 }}
                          value={mapping[h] ?? ''}
                          loading={schema.isPending}
                          disabled={!schema.data}
                          aria-label={t('leadImport.mapColumn', { column: h })}
                          data-testid={`map-${h}`}
                          status={mapping[h] && twice.includes(mapping[h]!) ? 'error' : undefined}
                          onChange={(v: string) => setMapping({ ...mapping, [h]: v || null })}
                          options={targetOptions}
                        />
                      </Space>
                    ),
                    render: (_: unknown, r: { cells: string[] }) => r.cells[j] ?? '',
                  })),
                ]}
              />
              {missing.length > 0 && (
                <Alert
                  style={{ marginTop: 12 }}
                  type="warning"
                  showIcon
                  data-testid="import-missing"
                  message={t('leadImportSchema.fieldsNeeded', {
                    fields: missing.map((f) => t(f.labelKey)).join(', '),
                  })}
                />
              )}
              {twice.length > 0 && (
                <Alert
                  style={{ marginTop: 12 }}
                  type="warning"
                  showIcon
                  message={t('leadImport.mappedTwice', {
                    fields: twice.map(labelOf).join(', '),
                  })}
                />
              )}
              <Row gutter={[24, 12]} style={{ marginTop: 16 }}>
                <Col xs={24} md={12}>
                  <Typography.Text strong>{t('leadImport.dedupe')}</Typography.Text>
                  <Radio.Group
                    value={dedupe}
                    onChange={(e) => setDedupe(e.target.value)}
                    style={{ display: 'block', marginTop: 8 }}
                    data-testid="import-dedupe"
                  >
                    <Space direction="vertical">
                      <Radio value="skip">{t('leadImport.dedupeSkip')}</Radio>
                      <Radio value="update">{t('leadImport.dedupeUpdate')}</Radio>
                    </Space>
                  </Radio.Group>
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                    {t('leadImport.dedupeHelp')}
                  </Typography.Paragraph>
                </Col>
                <Col xs={24} md={12}>
                  <Typography.Text strong>{t('leadImport.owner')}</Typography.Text>
                  <Radio.Group
                    value={owner}
                    onChange={(e) => setOwner(e.target.value)}
                    style={{ display: 'block', marginTop: 8 }}
                  >
                    <Space direction="vertical">
                      <Radio value="me">{t('leadImport.ownerMe')}</Radio>
                      <Radio value="none">{t('leadImport.ownerNone')}</Radio>
                    </Space>
                  </Radio.Group>
                </Col>
              </Row>
              <Flex justify="end" gap={8} style={{ marginTop: 16 }}>
                <Button onClick={reset}>{t('common.cancel')}</Button>
                <Button
                  type="primary"
                  loading={busy}
                  disabled={!schema.data || missing.length > 0 || twice.length > 0}
                  onClick={() => void start()}
                  data-testid="import-start"
                >
                  {t('leadImport.start', { count: preview.totalRows })}
                </Button>
              </Flex>
            </Card>
          )}
        </Space>
      )}
    </>
  );
}

function ImportResult({ batchId, onAgain }: { batchId: string; onAgain: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['lead-imports', batchId],
    queryFn: ({ signal }) => api.get<ImportBatch>(`/leads/imports/${batchId}`, undefined, signal),
    refetchInterval: (query) =>
      query.state.data && (query.state.data.status === 'done' || query.state.data.status === 'failed')
        ? false
        : 1000,
  });
  const b = q.data;
  const finished = b?.status === 'done' || b?.status === 'failed';
  const issues = useQuery({
    queryKey: ['lead-imports', batchId, 'issues'],
    queryFn: ({ signal }) =>
      api.get<{ items: ImportIssue[]; nextAfterRow: number | null }>(
        `/leads/imports/${batchId}/issues`,
        { limit: 500 },
        signal,
      ),
    enabled: finished,
  });
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!b) return <Card loading />;
  const report = async () => {
    try {
      const res = await fetch(`/api/v1/leads/imports/${batchId}/errors.csv`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      download(await res.blob(), `${b.fileName.replace(/\.(csv|xlsx|txt)$/i, '')}-errors.csv`);
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  const percent = b.totalRows ? Math.floor((b.processedRows / b.totalRows) * 100) : 100;
  const kindColor: Record<string, string> = { error: 'red', duplicate: 'orange', updated: 'blue' };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={b.fileName}
        extra={
          <Tag color={b.status === 'done' ? 'green' : b.status === 'failed' ? 'red' : 'processing'}>
            {t(`leadImport.status.${b.status}`)}
          </Tag>
        }
      >
        {!finished && (
          <div data-testid="import-progress">
            <Progress percent={percent} status="active" />
            <Typography.Text type="secondary">
              {t('leadImport.progress', { done: b.processedRows, total: b.totalRows })}
            </Typography.Text>
          </div>
        )}
        {b.status === 'failed' && (
          <Alert type="error" showIcon message={b.failure ?? t('leadImport.status.failed')} />
        )}
        <Row gutter={16} style={{ marginTop: 8 }} data-testid="import-result">
          <Col xs={12} md={6}>
            <Statistic title={t('leadImport.created')} value={b.created} valueStyle={{ color: '#389e0d' }} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('leadImport.updated')} value={b.updated} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('leadImport.duplicates')}
              value={b.duplicates}
              valueStyle={b.duplicates ? { color: '#d46b08' } : undefined}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('leadImport.errors')}
              value={b.errors}
              valueStyle={b.errors ? { color: '#cf1322' } : undefined}
            />
          </Col>
        </Row>
        <Flex gap={8} style={{ marginTop: 16 }} wrap>
          {finished && b.duplicates + b.errors > 0 && (
            <Button icon={<DownloadOutlined />} onClick={() => void report()} data-testid="import-report">
              {t('leadImport.report')}
            </Button>
          )}
          <Link to="/leads">
            <Button>{t('leadImport.toLeads')}</Button>
          </Link>
          <Button onClick={onAgain}>{t('leadImport.again')}</Button>
        </Flex>
      </Card>
      {finished && (
        <Card size="small" title={t('leadImport.issues')}>
          {issues.isError && <ErrorAlert error={issues.error} onRetry={() => void issues.refetch()} />}
          <Table<ImportIssue>
            size="small"
            rowKey={(r) => `${r.rowNo}-${r.kind}-${r.field ?? ''}`}
            loading={issues.isPending}
            dataSource={issues.data?.items ?? []}
            data-testid="import-issues"
            locale={{ emptyText: <Empty description={t('leadImport.noIssues')} /> }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              { key: 'row', title: t('leadImport.row'), dataIndex: 'rowNo', width: 70 },
              {
                key: 'kind',
                title: t('leadImport.kind'),
                render: (_, r) => <Tag color={kindColor[r.kind]}>{t(`leadImport.kinds.${r.kind}`)}</Tag>,
              },
              {
                key: 'field',
                title: t('leadImport.field'),
                render: (_, r) => (r.field ? t(`field.${r.field}`, { defaultValue: r.field }) : '—'),
              },
              {
                key: 'message',
                title: t('leadImport.message'),
                render: (_, r) =>
                  t(`leadImport.codes.${r.code}`, {
                    defaultValue: r.message,
                    on: r.matchedOn ? t(`field.${r.matchedOn}`) : '',
                    row: r.matchedRowNo,
                  }),
              },
              {
                key: 'match',
                title: t('leadImport.matched'),
                render: (_, r) =>
                  r.matchedLead ? (
                    <Link to={`/leads/${r.matchedLead.id}`}>
                      {r.matchedLead.name ?? r.matchedLead.id}
                      {r.matchedLead.company ? ` · ${r.matchedLead.company}` : ''}
                    </Link>
                  ) : r.matchedRowNo ? (
                    t('leadImport.rowN', { row: r.matchedRowNo })
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
          {issues.data?.nextAfterRow && (
            <Typography.Text type="secondary">{t('leadImport.moreInReport')}</Typography.Text>
          )}
        </Card>
      )}
    </Space>
  );
}
