import { createBrowserRouter, Outlet } from 'react-router';
import { AppShell } from './layout/AppShell.tsx';
import { RequireAuth, SetupGate } from './pages/auth/Gates.tsx';
import { LoginPage } from './pages/auth/LoginPage.tsx';
import { SetupPage } from './pages/auth/SetupPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { ApprovalsPage } from './pages/approvals/ApprovalsPage.tsx';
import { AgingPage } from './pages/finance/AgingPage.tsx';
import { RevenuePage } from './pages/revenue/RevenuePage.tsx';
import { LeadDetailPage } from './pages/leads/LeadDetailPage.tsx';
import { LeadEditPage } from './pages/leads/LeadEditPage.tsx';
import { LeadImportPage } from './pages/leads/LeadImportPage.tsx';
import { LeadsPage } from './pages/leads/LeadsPage.tsx';
import { BoardPage } from './pages/opportunities/BoardPage.tsx';
import { OpportunitiesListPage } from './pages/opportunities/OpportunitiesListPage.tsx';
import { OpportunityDetailPage } from './pages/opportunities/OpportunityDetailPage.tsx';
import { OpportunityEditPage } from './pages/opportunities/OpportunityEditPage.tsx';
import { AccountsPage } from './pages/accounts/AccountsPage.tsx';
import { AccountDetailPage } from './pages/accounts/AccountDetailPage.tsx';
import { AccountEditPage } from './pages/accounts/AccountEditPage.tsx';
import { ContactsPage } from './pages/contacts/ContactsPage.tsx';
import { ContactDetailPage } from './pages/contacts/ContactDetailPage.tsx';
import { ContactEditPage } from './pages/contacts/ContactEditPage.tsx';
import { DocumentDetailPage } from './pages/documents/DocumentDetailPage.tsx';
import { DocumentListPage } from './pages/documents/DocumentListPage.tsx';
import type { Doc, DocConfig } from './pages/documents/types.ts';
import { quoteConfig } from './pages/quotes/quotes.tsx';
import { contractConfig } from './pages/contracts/contracts.tsx';
import { orderConfig } from './pages/orders/orders.tsx';
import { deliveryConfig } from './pages/deliveries/deliveries.tsx';
import { invoiceConfig } from './pages/invoices/invoices.tsx';
import { paymentConfig } from './pages/payments/payments.tsx';
import { invoiceRequestConfig } from './pages/billing/invoiceRequests.tsx';
import { BillingRunsPage } from './pages/billing/BillingRunsPage.tsx';
import { ProductsPage } from './pages/products/ProductsPage.tsx';
import { ProductEditPage } from './pages/products/ProductEditPage.tsx';
import { SettingsPage } from './pages/settings/SettingsPage.tsx';
import { NotFoundPage } from './pages/misc/NotFoundPage.tsx';
import { RouteError } from './pages/misc/RouteError.tsx';

/** List and record routes of the order-to-cash documents. */
function documentRoutes<T extends Doc>(config: DocConfig<T>) {
  return [
    { path: config.type, element: <DocumentListPage<T> config={config} /> },
    { path: `${config.type}/:id`, element: <DocumentDetailPage<T> config={config} /> },
  ];
}

export const router = createBrowserRouter([
  {
    element: (
      <SetupGate>
        <Outlet />
      </SetupGate>
    ),
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppShell />,
            errorElement: <RouteError />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'approvals', element: <ApprovalsPage /> },
              { path: 'leads', element: <LeadsPage /> },
              { path: 'leads/import', element: <LeadImportPage /> },
              { path: 'leads/new', element: <LeadEditPage /> },
              { path: 'leads/:id', element: <LeadDetailPage /> },
              { path: 'leads/:id/edit', element: <LeadEditPage /> },
              { path: 'opportunities', element: <BoardPage /> },
              { path: 'opportunities/list', element: <OpportunitiesListPage /> },
              { path: 'opportunities/new', element: <OpportunityEditPage /> },
              { path: 'opportunities/:id', element: <OpportunityDetailPage /> },
              { path: 'opportunities/:id/edit', element: <OpportunityEditPage /> },
              { path: 'accounts', element: <AccountsPage /> },
              { path: 'accounts/new', element: <AccountEditPage /> },
              { path: 'accounts/:id', element: <AccountDetailPage /> },
              { path: 'accounts/:id/edit', element: <AccountEditPage /> },
              { path: 'contacts', element: <ContactsPage /> },
              { path: 'contacts/new', element: <ContactEditPage /> },
              { path: 'contacts/:id', element: <ContactDetailPage /> },
              { path: 'contacts/:id/edit', element: <ContactEditPage /> },
              { path: 'products', element: <ProductsPage /> },
              { path: 'products/new', element: <ProductEditPage /> },
              { path: 'products/:id/edit', element: <ProductEditPage /> },
              ...documentRoutes(quoteConfig),
              ...documentRoutes(contractConfig),
              ...documentRoutes(orderConfig),
              ...documentRoutes(deliveryConfig),
              ...documentRoutes(invoiceConfig),
              ...documentRoutes(paymentConfig),
              ...documentRoutes(invoiceRequestConfig),
              { path: 'billing/runs', element: <BillingRunsPage /> },
              { path: 'finance/aging', element: <AgingPage /> },
              { path: 'finance/revenue', element: <RevenuePage /> },
              { path: 'settings', element: <SettingsPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
