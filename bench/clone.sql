-- bench_clone(table, source filter, copies, overrides): inserts `copies` copies of the rows of
-- `table` matching `source filter`, cycling through them; `overrides` maps a column to an SQL
-- expression over the source row `s` and the copy number `g` (1…copies). Every other column,
-- except `id` and generated ones, is copied as it is, so a new column needs no change here.
-- For the benchmarks only: created in pg_temp, gone when the session ends.
create function pg_temp.bench_clone(tbl text, filter text, copies bigint, overrides jsonb)
returns bigint language plpgsql as $$
declare
    cols text;
    exprs text;
    n bigint;
begin
    select string_agg(quote_ident(column_name), ', ' order by ordinal_position),
           string_agg(coalesce(overrides ->> column_name, 's.' || quote_ident(column_name)),
                      ', ' order by ordinal_position)
      into cols, exprs
      from information_schema.columns
     where table_schema = 'public' and table_name = tbl
       and column_name <> 'id' and is_generated = 'NEVER';
    execute format(
        'with src as (select t.*, row_number() over (order by t.id) - 1 as k, count(*) over () as n
                        from %I t where %s)
         insert into %I (%s)
         select %s from generate_series(1, %s) g join src s on s.k = (g - 1) %% s.n',
        tbl, filter, tbl, cols, exprs, copies);
    get diagnostics n = row_count;
    return n;
end;
$$;
