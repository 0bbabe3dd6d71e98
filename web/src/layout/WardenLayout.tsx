import type { ReactNode } from 'react';
import { Layout } from 'react-admin';
import { WardenAppBar } from './WardenAppBar';
import { WardenMenu } from './WardenMenu';

// react-admin's layout grows to fit its widest table (min-width: fit-content, and flex items at their content size);
// min-width 0 keeps the page at the window's width, and wide tables scroll inside their card instead.
const fitToWindow = {
  minWidth: 0,
  '& .RaLayout-appFrame, & .RaLayout-contentWithSidebar, & .RaLayout-content, & .RaList-main': { minWidth: 0 },
};

export function WardenLayout({ children }: { children: ReactNode }) {
  return (
    <Layout appBar={WardenAppBar} menu={WardenMenu} sx={fitToWindow}>
      {children}
    </Layout>
  );
}
