import { Skeleton } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordEditor } from '../../components/RecordEditor.tsx';
import { PRODUCT_FIELD_OF, ProductFields, productToBody, productToValues, type Product } from './ProductFields.tsx';

export function ProductEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const q = useRecord<Product>('products', id);
  const crumbs = [{ label: t('nav.products'), to: '/products' }];
  if (id && q.isPending) return <Skeleton active />;
  if (id && q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  return (
    <>
      <PageHeader title={p ? t('products.editTitle', { name: p.name }) : t('products.new')} crumbs={crumbs} />
      <RecordEditor<Product>
        key={p?.id ?? 'new'}
        type="products"
        record={p}
        toValues={productToValues}
        initialValues={{ kind: 'goods', currency: 'CNY', tax: '13', taxCode: 'VAT13' }}
        toBody={productToBody}
        fieldOf={(f) => PRODUCT_FIELD_OF[f] ?? f}
        labelOf={(k) => t(`field.${k}`)}
        onSaved={() => navigate('/products')}
        onCancel={() => navigate('/products')}
      >
        <ProductFields />
      </RecordEditor>
    </>
  );
}
