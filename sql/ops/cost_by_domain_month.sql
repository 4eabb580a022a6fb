-- What each domain's runs used, per calendar month (UTC), from the run ledger: the quantities
-- README "What a run costs" prices (./medallion cost). Columns: schemas/bigquery/ops/cost_by_domain_month.json.
-- {{domain_of_source}} is a CASE over @source_<n> / @domain_<n> parameters made from the domain
-- declarations (io.medallion.gold.CostRollup); a source no declaration names has no domain and is left out.
create or replace table {{ops}}.cost_by_domain_month as
with

ledger as (
    select *
    from {{ops}}.run_ledger
    where source is not null
    -- A redelivered event records nothing new, but BigQuery's insert-unless-present can race: count each id once.
    qualify row_number() over (partition by event_id order by recorded_at) = 1
),

events as (
    select
        {{domain_of_source}} as domain,
        format_date('%Y-%m', cast(recorded_at as date)) as month,
        run_id,
        stage,
        bytes_billed,
        slot_ms,
        gcs_bytes_written,
        instance_ms,
    from ledger
),

monthly as (
    select
        domain,
        month,
        count(distinct run_id) as runs,
        coalesce(sum(bytes_billed), 0) as bytes_billed,
        coalesce(sum(slot_ms), 0) as slot_ms,
        coalesce(sum(gcs_bytes_written), 0) as gcs_bytes_written,
        -- Bronze pages are kept (staging is deleted after staging_retention_days): what stays stored.
        coalesce(sum(case when stage = 'ingest' then gcs_bytes_written end), 0) as bronze_bytes_written,
        coalesce(sum(instance_ms), 0) / 1000.0 as instance_seconds,
    from events
    where domain is not null
    group by domain, month
),

final as (
    select
        domain,
        month,
        runs,
        bytes_billed,
        slot_ms,
        gcs_bytes_written,
        sum(bronze_bytes_written) over (
            partition by domain order by month rows between unbounded preceding and current row
        ) as gcs_bytes_stored,
        instance_seconds,
    from monthly
)

select * from final
