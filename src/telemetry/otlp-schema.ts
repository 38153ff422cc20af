/**
 * The OTLP protobuf messages (opentelemetry-proto v1: common, resource,
 * trace, metrics, logs and the three collector requests), as a protobufjs
 * descriptor. Written from the published .proto field numbers; enums are read
 * as their numbers. Used to check that a protobuf export is well formed and
 * to read one in tests. Fields added to OTLP after these are skipped by a
 * decode, never an error (protobuf's rule), and forwarding keeps their bytes.
 */

import protobuf from 'protobufjs';

type Fields = Record<string, { type: string; id: number; rule?: 'repeated' }>;

const message = (fields: Fields, oneofs?: Record<string, { oneof: string[] }>) => ({
  fields,
  ...(oneofs ? { oneofs } : {}),
});
const repeated = (type: string, id: number) => ({ type, id, rule: 'repeated' as const });

const KEY_VALUES = repeated('KeyValue', 0);
const attributes = (id: number) => ({ ...KEY_VALUES, id });
const SCOPE = { type: 'InstrumentationScope', id: 1 };

const descriptor = {
  nested: {
    otlp: {
      nested: {
        AnyValue: message(
          {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
          {
            value: {
              oneof: [
                'stringValue',
                'boolValue',
                'intValue',
                'doubleValue',
                'arrayValue',
                'kvlistValue',
                'bytesValue',
              ],
            },
          },
        ),
        ArrayValue: message({ values: repeated('AnyValue', 1) }),
        KeyValueList: message({ values: repeated('KeyValue', 1) }),
        KeyValue: message({ key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } }),
        InstrumentationScope: message({
          name: { type: 'string', id: 1 },
          version: { type: 'string', id: 2 },
          attributes: attributes(3),
          droppedAttributesCount: { type: 'uint32', id: 4 },
        }),
        Resource: message({ attributes: attributes(1), droppedAttributesCount: { type: 'uint32', id: 2 } }),

        ExportTraceServiceRequest: message({ resourceSpans: repeated('ResourceSpans', 1) }),
        ResourceSpans: message({
          resource: { type: 'Resource', id: 1 },
          scopeSpans: repeated('ScopeSpans', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        ScopeSpans: message({
          scope: SCOPE,
          spans: repeated('Span', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        Span: message({
          traceId: { type: 'bytes', id: 1 },
          spanId: { type: 'bytes', id: 2 },
          traceState: { type: 'string', id: 3 },
          parentSpanId: { type: 'bytes', id: 4 },
          flags: { type: 'fixed32', id: 16 },
          name: { type: 'string', id: 5 },
          kind: { type: 'int32', id: 6 },
          startTimeUnixNano: { type: 'fixed64', id: 7 },
          endTimeUnixNano: { type: 'fixed64', id: 8 },
          attributes: attributes(9),
          droppedAttributesCount: { type: 'uint32', id: 10 },
          events: repeated('SpanEvent', 11),
          droppedEventsCount: { type: 'uint32', id: 12 },
          links: repeated('SpanLink', 13),
          droppedLinksCount: { type: 'uint32', id: 14 },
          status: { type: 'SpanStatus', id: 15 },
        }),
        SpanEvent: message({
          timeUnixNano: { type: 'fixed64', id: 1 },
          name: { type: 'string', id: 2 },
          attributes: attributes(3),
          droppedAttributesCount: { type: 'uint32', id: 4 },
        }),
        SpanLink: message({
          traceId: { type: 'bytes', id: 1 },
          spanId: { type: 'bytes', id: 2 },
          traceState: { type: 'string', id: 3 },
          attributes: attributes(4),
          droppedAttributesCount: { type: 'uint32', id: 5 },
          flags: { type: 'fixed32', id: 6 },
        }),
        SpanStatus: message({ message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } }),

        ExportMetricsServiceRequest: message({ resourceMetrics: repeated('ResourceMetrics', 1) }),
        ResourceMetrics: message({
          resource: { type: 'Resource', id: 1 },
          scopeMetrics: repeated('ScopeMetrics', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        ScopeMetrics: message({
          scope: SCOPE,
          metrics: repeated('Metric', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        Metric: message(
          {
            name: { type: 'string', id: 1 },
            description: { type: 'string', id: 2 },
            unit: { type: 'string', id: 3 },
            gauge: { type: 'Gauge', id: 5 },
            sum: { type: 'Sum', id: 7 },
            histogram: { type: 'Histogram', id: 9 },
            exponentialHistogram: { type: 'ExponentialHistogram', id: 10 },
            summary: { type: 'Summary', id: 11 },
            metadata: attributes(12),
          },
          { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
        ),
        Gauge: message({ dataPoints: repeated('NumberDataPoint', 1) }),
        Sum: message({
          dataPoints: repeated('NumberDataPoint', 1),
          aggregationTemporality: { type: 'int32', id: 2 },
          isMonotonic: { type: 'bool', id: 3 },
        }),
        Histogram: message({
          dataPoints: repeated('HistogramDataPoint', 1),
          aggregationTemporality: { type: 'int32', id: 2 },
        }),
        ExponentialHistogram: message({
          dataPoints: repeated('ExponentialHistogramDataPoint', 1),
          aggregationTemporality: { type: 'int32', id: 2 },
        }),
        Summary: message({ dataPoints: repeated('SummaryDataPoint', 1) }),
        NumberDataPoint: message(
          {
            attributes: attributes(7),
            startTimeUnixNano: { type: 'fixed64', id: 2 },
            timeUnixNano: { type: 'fixed64', id: 3 },
            asDouble: { type: 'double', id: 4 },
            asInt: { type: 'sfixed64', id: 6 },
            exemplars: repeated('Exemplar', 5),
            flags: { type: 'uint32', id: 8 },
          },
          { value: { oneof: ['asDouble', 'asInt'] } },
        ),
        HistogramDataPoint: message({
          attributes: attributes(9),
          startTimeUnixNano: { type: 'fixed64', id: 2 },
          timeUnixNano: { type: 'fixed64', id: 3 },
          count: { type: 'fixed64', id: 4 },
          sum: { type: 'double', id: 5 },
          bucketCounts: repeated('fixed64', 6),
          explicitBounds: repeated('double', 7),
          exemplars: repeated('Exemplar', 8),
          flags: { type: 'uint32', id: 10 },
          min: { type: 'double', id: 11 },
          max: { type: 'double', id: 12 },
        }),
        ExponentialHistogramDataPoint: message({
          attributes: attributes(1),
          startTimeUnixNano: { type: 'fixed64', id: 2 },
          timeUnixNano: { type: 'fixed64', id: 3 },
          count: { type: 'fixed64', id: 4 },
          sum: { type: 'double', id: 5 },
          scale: { type: 'sint32', id: 6 },
          zeroCount: { type: 'fixed64', id: 7 },
          positive: { type: 'Buckets', id: 8 },
          negative: { type: 'Buckets', id: 9 },
          flags: { type: 'uint32', id: 10 },
          exemplars: repeated('Exemplar', 11),
          min: { type: 'double', id: 12 },
          max: { type: 'double', id: 13 },
          zeroThreshold: { type: 'double', id: 14 },
        }),
        Buckets: message({ offset: { type: 'sint32', id: 1 }, bucketCounts: repeated('uint64', 2) }),
        SummaryDataPoint: message({
          attributes: attributes(7),
          startTimeUnixNano: { type: 'fixed64', id: 2 },
          timeUnixNano: { type: 'fixed64', id: 3 },
          count: { type: 'fixed64', id: 4 },
          sum: { type: 'double', id: 5 },
          quantileValues: repeated('ValueAtQuantile', 6),
          flags: { type: 'uint32', id: 8 },
        }),
        ValueAtQuantile: message({ quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } }),
        Exemplar: message(
          {
            filteredAttributes: attributes(7),
            timeUnixNano: { type: 'fixed64', id: 2 },
            asDouble: { type: 'double', id: 3 },
            asInt: { type: 'sfixed64', id: 6 },
            spanId: { type: 'bytes', id: 4 },
            traceId: { type: 'bytes', id: 5 },
          },
          { value: { oneof: ['asDouble', 'asInt'] } },
        ),

        ExportLogsServiceRequest: message({ resourceLogs: repeated('ResourceLogs', 1) }),
        ResourceLogs: message({
          resource: { type: 'Resource', id: 1 },
          scopeLogs: repeated('ScopeLogs', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        ScopeLogs: message({
          scope: SCOPE,
          logRecords: repeated('LogRecord', 2),
          schemaUrl: { type: 'string', id: 3 },
        }),
        LogRecord: message({
          timeUnixNano: { type: 'fixed64', id: 1 },
          observedTimeUnixNano: { type: 'fixed64', id: 11 },
          severityNumber: { type: 'int32', id: 2 },
          severityText: { type: 'string', id: 3 },
          body: { type: 'AnyValue', id: 5 },
          attributes: attributes(6),
          droppedAttributesCount: { type: 'uint32', id: 7 },
          flags: { type: 'fixed32', id: 8 },
          traceId: { type: 'bytes', id: 9 },
          spanId: { type: 'bytes', id: 10 },
          eventName: { type: 'string', id: 12 },
        }),

        /** The collectors' answers (the same over gRPC and OTLP/HTTP): empty, or a partial success. */
        ExportTraceServiceResponse: message({ partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } }),
        ExportTracePartialSuccess: message({
          rejectedSpans: { type: 'int64', id: 1 },
          errorMessage: { type: 'string', id: 2 },
        }),
        ExportMetricsServiceResponse: message({
          partialSuccess: { type: 'ExportMetricsPartialSuccess', id: 1 },
        }),
        ExportMetricsPartialSuccess: message({
          rejectedDataPoints: { type: 'int64', id: 1 },
          errorMessage: { type: 'string', id: 2 },
        }),
        ExportLogsServiceResponse: message({ partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 } }),
        ExportLogsPartialSuccess: message({
          rejectedLogRecords: { type: 'int64', id: 1 },
          errorMessage: { type: 'string', id: 2 },
        }),

        /** google.rpc.Status: the body of an OTLP/HTTP error answer. */
        Status: message({ code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } }),
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** The OTLP signals an OTLP/HTTP receiver takes, by the path's last segment. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** Each signal's export request type, and the field (1) holding its resources. */
export const EXPORT_REQUESTS: Readonly<Record<OtlpSignal, { type: protobuf.Type; resources: string }>> = {
  traces: { type: root.lookupType('otlp.ExportTraceServiceRequest'), resources: 'resourceSpans' },
  metrics: { type: root.lookupType('otlp.ExportMetricsServiceRequest'), resources: 'resourceMetrics' },
  logs: { type: root.lookupType('otlp.ExportLogsServiceRequest'), resources: 'resourceLogs' },
};

/** Each signal's export response type. */
export const EXPORT_RESPONSES: Readonly<Record<OtlpSignal, protobuf.Type>> = {
  traces: root.lookupType('otlp.ExportTraceServiceResponse'),
  metrics: root.lookupType('otlp.ExportMetricsServiceResponse'),
  logs: root.lookupType('otlp.ExportLogsServiceResponse'),
};

export const RPC_STATUS = root.lookupType('otlp.Status');
export const KEY_VALUE = root.lookupType('otlp.KeyValue');
