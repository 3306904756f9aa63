// Writing and validating nncc model files (protobuf).
#include "frontend/ModelFile.h"
#include "frontend/Error.h"
#include "frontend/Module.h"
#include "frontend/ModelFile.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace nncc {
namespace {

void fillNode(proto::ModuleNode &node, nn::Module &module, const std::string &name,
              const std::string &path, const std::map<std::string, const ModuleCall *> &calls) {
  node.set_name(name);
  node.set_path(path);
  node.set_class_name(module.name());
  node.set_extra_repr(module.extra_repr());
  node.set_training(module.is_training());
  for (auto &[pname, t] : module.named_parameters("", /*recurse=*/false))
    node.add_parameters(pname);
  for (auto &[bname, t] : module.named_buffers("", /*recurse=*/false))
    node.add_buffers(bname);
  if (auto call = calls.find(path); call != calls.end()) {
    node.set_called(true);
    for (int64_t d : call->second->outputShape)
      node.add_output_shape(d);
  }
  for (auto &[childName, child] : module.named_children()) {
    if (!child)
      continue;
    fillNode(*node.add_children(), *child, childName, path.empty() ? childName : path + "." + childName,
             calls);
  }
}

void addTensor(proto::Model &model, const std::string &key, const Tensor &t,
               proto::Tensor::Kind kind, bool persistent) {
  proto::Tensor *out = model.add_tensors();
  out->set_name(key);
  out->set_kind(kind);
  for (int64_t d : t.shape())
    out->add_shape(d);
  out->set_data(reinterpret_cast<const char *>(t.data()), t.numel() * sizeof(float));
  out->set_requires_grad(kind == proto::Tensor::PARAMETER && t.requires_grad());
  out->set_persistent(persistent);
}

} // namespace

std::string symbolName(const std::string &name) {
  std::string out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty() && out.back() != '_' &&
        std::islower(static_cast<unsigned char>(out.back())))
      out += '_';
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "m_" + out;
  return out;
}

namespace {

/// Writes `traced` (recorded from `module` on `inputs`) as a model file.
void writeModelFile(nn::Module &module, TracedModel &&traced, const std::vector<InputSpec> &inputs,
                    const std::string &path, const std::string &name) {
  proto::Model model;
  model.set_format_version(1);
  model.set_name(symbolName(name.empty() ? module.name() : name));
  std::map<std::string, const ModuleCall *> calls;
  for (const ModuleCall &c : traced.calls)
    calls.emplace(c.path, &c);
  fillNode(*model.mutable_root(), module, "", "", calls);
  model.set_nn_ir(printIR(traced.module->getOperation()));
  for (const InputSpec &in : inputs) {
    proto::Input *i = model.add_inputs();
    i->set_name(in.name);
    for (int64_t d : in.shape)
      i->add_shape(d);
  }
  for (auto &[key, t] : module.named_parameters())
    if (t.defined())
      addTensor(model, key, t, proto::Tensor::PARAMETER, true);
  StateDict persistent = module.state_dict();
  for (auto &[key, t] : module.named_buffers())
    if (t.defined())
      addTensor(model, key, t, proto::Tensor::BUFFER, persistent.contains(key));
  model.set_repr(module.to_string());

  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    model.SerializeToCodedStream(&coded);
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw Error(path + ": cannot write model file");
}

} // namespace

void save_model(nn::Module &module, const std::vector<InputSpec> &inputs, const std::string &path,
                const std::string &name, const ForwardBody &body) {
  writeModelFile(module, trace(module, inputs, body), inputs, path, name);
}

void save_training_model(nn::Module &module, const TrainingSpec &spec, const std::string &path,
                         const std::string &name) {
  writeModelFile(module, traceTraining(module, spec), spec.inputs, path, name);
}

proto::Model readModelFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path + ": cannot open model file: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  proto::Model model;
  if (buffer.str().empty())
    throw Error(path + ": empty file, not an nncc model file");
  if (!model.ParseFromString(buffer.str()))
    throw Error(path + ": not a valid nncc model file (truncated or corrupt)");
  if (model.format_version() != 1)
    throw Error(path + ": unsupported model file version " +
                std::to_string(model.format_version()) + " (expected 1)");
  if (model.nn_ir().empty() || !model.has_root())
    throw Error(path + ": model file has no nn IR or module tree (truncated or corrupt)");
  for (const proto::Tensor &t : model.tensors()) {
    int64_t numel = 1;
    for (int64_t d : t.shape()) {
      if (d < 0 || d > (int64_t(1) << 32))
        throw Error(path + ": tensor '" + t.name() + "' has an invalid shape");
      numel *= d;
    }
    if (t.data().size() != static_cast<size_t>(numel) * sizeof(float))
      throw Error(path + ": tensor '" + t.name() + "' holds " + std::to_string(t.data().size()) +
                  " bytes, its shape needs " + std::to_string(numel * sizeof(float)));
  }
  return model;
}

StateDict weightsOf(const proto::Model &model) {
  StateDict dict;
  for (const proto::Tensor &t : model.tensors()) {
    Tensor tensor = Tensor::empty(Shape(t.shape().begin(), t.shape().end()));
    std::memcpy(tensor.data(), t.data().data(), t.data().size());
    dict.insert(t.name(), tensor);
  }
  return dict;
}

} // namespace nncc
