import { Suspense } from 'react';
import { getFilters } from '@/lib/queries';
import { scopeQuery, type Scope } from '@/lib/search-params';
import { FilterBar } from './filter-bar';

/** The filter bar with the values the collector has seen in the range; usable while they load. */
export function ScopeFilters({ scope, resetOnChange }: { scope: Scope; resetOnChange?: string[] }) {
  return (
    <Suspense fallback={<FilterBar range={scope.range} options={null} resetOnChange={resetOnChange} />}>
      <LoadedFilters scope={scope} resetOnChange={resetOnChange} />
    </Suspense>
  );
}

async function LoadedFilters({ scope, resetOnChange }: { scope: Scope; resetOnChange?: string[] }) {
  const values = await getFilters(scopeQuery(scope));
  return <FilterBar range={scope.range} options={values.ok ? values.data : null} resetOnChange={resetOnChange} />;
}
