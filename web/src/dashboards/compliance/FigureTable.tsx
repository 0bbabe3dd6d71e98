import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';

interface FigureTableProps {
  title: string;
  testId: string;
  headers: string[];
  /** Columns from this index on are figures, aligned right. */
  numericFrom?: number;
  rows: Array<{ key: string; cells: ReactNode[] }>;
  empty: string;
  footer?: ReactNode;
}

/** One compliance figure as a titled table; says so plainly when the period has none. */
export function FigureTable({ title, testId, headers, numericFrom = 1, rows, empty, footer }: FigureTableProps) {
  return (
    <Card data-testid={testId} sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {title}
        </Typography>
        {rows.length === 0 ? (
          <Typography color="text.secondary">{empty}</Typography>
        ) : (
          <Table size="small" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
            <TableHead>
              <TableRow>
                {headers.map((header, index) => (
                  <TableCell key={header} align={index >= numericFrom ? 'right' : 'left'}>
                    {header}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow key={row.key}>
                  {row.cells.map((cell, index) => (
                    <TableCell key={headers[index]} align={index >= numericFrom ? 'right' : 'left'}>
                      {cell}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {footer}
      </CardContent>
    </Card>
  );
}
