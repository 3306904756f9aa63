// `nncc explain`'s outputs: the text report, a line diff, Graphviz, and the HTML page.
#include "compiler/Driver/Explain.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace nncc {
namespace {

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string s;
  for (const std::string &item : items)
    s += (s.empty() ? "" : sep) + item;
  return s;
}

std::string numbers(const std::vector<int> &ids) {
  std::vector<std::string> s;
  for (int id : ids)
    s.push_back(std::to_string(id));
  return join(s, ", ");
}

std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string percentLess(int64_t before, int64_t after) {
  if (before <= 0)
    return "0%";
  return std::to_string((before - after) * 100 / before) + "%";
}

std::string escapeHtml(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string escapeDot(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

const char *kPalette[] = {"#fde2e4", "#e2ece9", "#dfe7fd", "#fff1e6", "#e8e8e4",
                          "#f0efeb", "#d8f3dc", "#fbe0ff", "#e0fbfc", "#fcefb4"};

} // namespace

std::string formatExplanation(const Explanation &e) {
  std::ostringstream out;
  out << "nncc explain: " << e.model << "\n";
  std::vector<std::string> active;
  for (const std::string &rule : kFusionRules)
    if (!llvm::is_contained(e.disabledRules, rule))
      active.push_back(rule);
  out << "rules: " << (active.empty() ? "none" : join(active, ", "));
  if (!e.disabledRules.empty())
    out << " (disabled: " << join(e.disabledRules, ", ") << ")";
  out << "\n";
  out << "kernels: " << e.kernelsBefore << " without fusion -> " << e.kernelsAfter << "\n";
  out << "bytes moved by kernels: " << e.bytesBefore << " B without fusion -> " << e.bytesAfter
      << " B (" << percentLess(e.bytesBefore, e.bytesAfter) << " less)\n";
  for (const std::string &note : e.notes)
    out << "note: " << note << "\n";
  std::string function;
  for (const ExplainedKernel &k : e.kernels) {
    if (k.function != function) {
      function = k.function;
      out << "\n@" << function << "\n";
    }
    out << "kernel " << k.id << ": " << k.op << "\n";
    out << "  modules: " << join(k.modules, ", ") << "\n";
    if (!k.rules.empty()) {
      out << "  fused:   " << join(k.rules, " + ");
      if (k.members.size() > 1)
        out << " (kernels " << numbers(k.members) << " before fusion)";
      out << "\n";
    }
    if (k.epilogueOf)
      out << "  runs on: kernel " << k.epilogueOf << "'s register tile, as its epilogue (loops stage)\n";
    if (k.epilogue)
      out << "  epilogue: kernel " << k.epilogue << ", computed before the tile is stored\n";
    out << "  loops:   " << k.loops << "\n";
    if (k.avoidedBytes)
      out << "  saves:   " << k.avoidedBytes << " B of intermediate traffic\n";
    for (const Neighbour &n : k.notFused)
      out << "  not fused with " << n.what << ": " << n.reason << "\n";
  }
  return out.str();
}

std::string diffLines(const std::string &before, const std::string &after,
                      const std::string &beforeLabel, const std::string &afterLabel) {
  std::vector<std::string> a = splitLines(before), b = splitLines(after);
  // Longest common subsequence, then a walk that emits kept, removed and added lines.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<std::string> lines;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      lines.push_back("  " + a[i]);
      ++i, ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      lines.push_back("- " + a[i++]);
    } else {
      lines.push_back("+ " + b[j++]);
    }
  }
  // Unchanged runs longer than six lines keep two lines of context at each end.
  std::ostringstream out;
  out << "--- " << beforeLabel << "\n+++ " << afterLabel << "\n";
  for (size_t k = 0; k < lines.size();) {
    size_t run = k;
    while (run < lines.size() && lines[run][0] == ' ')
      ++run;
    if (run - k > 6) {
      for (size_t m = k; m < k + 2 && k != 0; ++m)
        out << lines[m] << "\n";
      size_t keepHead = k == 0 ? 0 : 2, keepTail = run == lines.size() ? 0 : 2;
      out << "  ... " << (run - k - keepHead - keepTail) << " unchanged lines\n";
      for (size_t m = run - keepTail; m < run; ++m)
        out << lines[m] << "\n";
      k = run;
    } else {
      for (; k < run; ++k)
        out << lines[k] << "\n";
      if (k < lines.size())
        out << lines[k++] << "\n";
    }
  }
  return out.str();
}

std::string explanationDot(const Explanation &e) {
  std::ostringstream out;
  out << "digraph \"" << escapeDot(e.model) << "\" {\n"
      << "  rankdir=TB;\n  node [shape=box, style=filled, fillcolor=white, fontname=\"monospace\", "
         "fontsize=10];\n";
  for (const ExplainedKernel &k : e.kernels) {
    if (k.epilogueOf)
      continue; // drawn inside the kernel it runs in
    std::vector<int> members = k.members;
    if (k.epilogue)
      for (int m : e.kernels[k.epilogue - 1].members)
        members.push_back(m);
    out << "  subgraph cluster_k" << k.id << " {\n"
        << "    label=\"kernel " << k.id << ": " << escapeDot(join(k.modules, ", "))
        << (k.rules.empty() ? "" : " [" + escapeDot(join(k.rules, " + ")) + "]") << "\";\n"
        << "    style=filled; color=\"" << kPalette[(k.id - 1) % 10] << "\";\n";
    for (int member : members)
      out << "    n" << member << ";\n";
    out << "  }\n";
  }
  for (const KernelNode &n : e.nodes)
    out << "  n" << n.id << " [label=\"" << escapeDot(n.label) << "\"];\n";
  for (auto [from, to] : e.edges)
    out << "  n" << from << " -> n" << to << ";\n";
  out << "}\n";
  return out.str();
}

namespace {

/// The module tree as nested lists: every path the model file names, or the kernels mention.
std::string moduleTreeHtml(const Explanation &e) {
  std::set<std::string> paths;
  for (const auto &[path, cls] : e.classes)
    paths.insert(path);
  std::string html = "<ul class=\"tree\">";
  // Paths sort parents first; depth is the count of dots (+1 below the root).
  int depth = 0;
  for (const std::string &path : paths) {
    int level = path.empty() ? 0 : 1 + static_cast<int>(std::count(path.begin(), path.end(), '.'));
    for (; depth < level; ++depth)
      html += "<ul>";
    for (; depth > level; --depth)
      html += "</ul>";
    auto cls = e.classes.find(path);
    html += "<li><code>" + escapeHtml(path.empty() ? "<root>" : path) + "</code> " +
            escapeHtml(cls->second) + "</li>";
  }
  for (; depth > 0; --depth)
    html += "</ul>";
  return html + "</ul>";
}

/// `ir` as a <pre>, each kernel's first line anchored as `prefix<N>` in kernel order.
std::string irHtml(const std::string &ir, const std::string &prefix) {
  std::string html = "<pre>";
  int kernel = 0;
  for (const std::string &line : splitLines(ir)) {
    bool isKernel = line.find(" = linalg.") != std::string::npos &&
                    line.find("linalg.fill") == std::string::npos &&
                    line.find("linalg.index") == std::string::npos;
    if (isKernel && !prefix.empty())
      html += "<span class=\"k\" id=\"" + prefix + std::to_string(++kernel) + "\">" +
              escapeHtml(line) + "</span>\n";
    else
      html += escapeHtml(line) + "\n";
  }
  return html + "</pre>";
}

} // namespace

std::string explanationHtml(const Explanation &e, const std::string &svg) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<title>nncc explain: " << escapeHtml(e.model) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
      << "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:4px;"
         "vertical-align:top}\n"
      << "th{background:#f4f4f4}.stages{display:grid;grid-template-columns:1fr 1fr 1fr;gap:8px}\n"
      << "pre{font-size:11px;overflow:auto;background:#fafafa;border:1px solid #ddd;padding:6px;"
         "max-height:40em}\n"
      << ".k{background:#fff3b0}.k:target{background:#ffb703}.tree ul{margin:0}\n"
      << ".reason{color:#8a3b12}svg{max-width:100%;height:auto}\n</style></head><body>\n";
  out << "<h1>nncc explain: <code>" << escapeHtml(e.model) << "</code></h1>\n";
  out << "<p id=\"totals\">Kernels: <b>" << e.kernelsBefore << "</b> without fusion &rarr; <b>"
      << e.kernelsAfter << "</b>. Bytes moved by kernels: " << e.bytesBefore << " B &rarr; "
      << e.bytesAfter << " B (" << percentLess(e.bytesBefore, e.bytesAfter) << " less).";
  if (!e.disabledRules.empty())
    out << " Disabled rules: " << escapeHtml(join(e.disabledRules, ", ")) << ".";
  out << "</p>\n";
  for (const std::string &note : e.notes)
    out << "<p class=\"note\">" << escapeHtml(note) << "</p>\n";
  out << "<h2>Module tree</h2>\n" << moduleTreeHtml(e) << "\n";
  out << "<h2>Fused groups</h2>\n"
      << (svg.empty() ? "<pre>" + escapeHtml(explanationDot(e)) + "</pre>" : svg) << "\n";
  out << "<h2>Kernels</h2>\n<table id=\"kernels\"><tr><th>#</th><th>op</th><th>modules</th>"
         "<th>fusion</th><th>loops</th><th>saves</th><th>not fused with</th><th>IR</th></tr>\n";
  for (const ExplainedKernel &k : e.kernels) {
    out << "<tr id=\"kernel" << k.id << "\"><td>" << k.id << "</td><td><code>"
        << escapeHtml(k.op) << "</code></td><td>" << escapeHtml(join(k.modules, ", "))
        << "</td><td>" << escapeHtml(join(k.rules, " + "));
    if (k.members.size() > 1)
      out << " (kernels " << numbers(k.members) << ")";
    if (k.epilogueOf)
      out << ", on kernel " << k.epilogueOf << "'s tile";
    out << "</td><td>" << escapeHtml(k.loops) << "</td><td>"
        << (k.avoidedBytes ? std::to_string(k.avoidedBytes) + " B" : "") << "</td><td>";
    for (const Neighbour &n : k.notFused)
      out << escapeHtml(n.what) << ": <span class=\"reason\">" << escapeHtml(n.reason)
          << "</span><br>";
    out << "</td><td><a href=\"#ir" << k.id << "\">IR</a></td></tr>\n";
  }
  out << "</table>\n<h2>Stages</h2>\n<div class=\"stages\">\n"
      << "<div><h3>nn</h3>" << irHtml(e.nnIR, "") << "</div>\n"
      << "<div><h3>linalg, before fusion</h3>" << irHtml(e.linalgIR, "") << "</div>\n"
      << "<div><h3>fused</h3>" << irHtml(e.fusedIR, "ir") << "</div>\n</div>\n</body></html>\n";
  return out.str();
}

} // namespace nncc
