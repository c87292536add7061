// A table's header row of column titles; a false entry is a column left out.
import type { JSX } from 'preact';

export function TableHead({ columns }: { columns: readonly (string | false)[] }): JSX.Element {
  return (
    <thead>
      <tr>
        {columns.map((title) =>
          title === false ? null : (
            <th key={title} scope="col">
              {title}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
