import * as protobuf from 'protobufjs/light';
import { otlpProtoDescriptor } from './otlp-proto-descriptor';

// Built once from the descriptor of the vendored .proto files; protobufjs generates each type's codec on first use.
const root = protobuf.Root.fromJSON(otlpProtoDescriptor);

export const otlpProtoTypes = {
  exportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  exportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  status: root.lookupType('google.rpc.Status'),
  badRequest: root.lookupType('google.rpc.BadRequest'),
  any: root.lookupType('google.protobuf.Any'),
};
