import type { ReactNode } from 'react';
import { Layout } from 'react-admin';
import { WardenAppBar } from './WardenAppBar';
import { WardenMenu } from './WardenMenu';

export function WardenLayout({ children }: { children: ReactNode }) {
  return (
    <Layout appBar={WardenAppBar} menu={WardenMenu}>
      {children}
    </Layout>
  );
}
