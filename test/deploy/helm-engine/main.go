// Test-only: renders a Helm chart the way `helm template` does, with the
// libraries Helm's engine is built on (Go's text/template, Masterminds' sprig
// and sigs.k8s.io/yaml, from Debian's packages), for the deployment tests.
// helm itself cannot be installed on the machines that run the suite; what is
// written here is the thin part of Helm's pkg/engine around those libraries:
// one template set per chart, `missingkey=zero` and "<no value>" removed, the
// function map (sprig without env/expandenv, plus toYaml, fromYaml, toJson,
// fromJson, include, tpl, required, fail, lookup), values coalesced over
// values.yaml, and the Release/Chart/Capabilities/Template objects.
//
// Input (stdin, JSON): {"chart": DIR, "release": NAME, "namespace": NS, "values": {...}}.
// Output (stdout, JSON): {"files": {"templates/x.yaml": "...", ...}, "values": {...}}.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type input struct {
	Chart     string                 `json:"chart"`
	Release   string                 `json:"release"`
	Namespace string                 `json:"namespace"`
	Values    map[string]interface{} `json:"values"`
}

// metadata is Chart.yaml as Helm's chart.Metadata exposes it to templates (.Chart.Name, …).
type metadata struct {
	APIVersion  string   `json:"apiVersion"`
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	AppVersion  string   `json:"appVersion"`
	Description string   `json:"description"`
	Type        string   `json:"type"`
	KubeVersion string   `json:"kubeVersion"`
	Keywords    []string `json:"keywords"`
	Home        string   `json:"home"`
	Icon        string   `json:"icon"`
	Deprecated  bool     `json:"deprecated"`
}

func readYAML(path string, into interface{}) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(data, into)
}

// coalesce merges override over base as Helm does: maps merge key by key, a null removes the key.
func coalesce(base, override map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for key, value := range base {
		out[key] = value
	}
	for key, value := range override {
		if value == nil {
			delete(out, key)
			continue
		}
		baseMap, baseIsMap := out[key].(map[string]interface{})
		overMap, overIsMap := value.(map[string]interface{})
		if baseIsMap && overIsMap {
			out[key] = coalesce(baseMap, overMap)
		} else {
			out[key] = value
		}
	}
	return out
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func functions(t *template.Template) template.FuncMap {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["toJson"] = toJSON
	funcs["fromJson"] = fromJSON
	depth := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var out strings.Builder
		err := t.ExecuteTemplate(&out, name, data)
		return out.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var out strings.Builder
		err = parsed.Execute(&out, data)
		return strings.ReplaceAll(out.String(), "<no value>", ""), err
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return value, errors.New(message)
		}
		if text, ok := value.(string); ok && text == "" {
			return value, errors.New(message)
		}
		return value, nil
	}
	funcs["fail"] = func(message string) (string, error) { return "", errors.New(message) }
	// Not connected to a cluster, Helm's lookup finds nothing.
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return funcs
}

func render(in input) (map[string]string, map[string]interface{}, error) {
	var chart metadata
	if err := readYAML(filepath.Join(in.Chart, "Chart.yaml"), &chart); err != nil {
		return nil, nil, fmt.Errorf("Chart.yaml: %w", err)
	}
	if chart.APIVersion != "v2" || chart.Name == "" || chart.Version == "" {
		return nil, nil, errors.New("Chart.yaml: apiVersion v2, name and version are required")
	}
	defaults := map[string]interface{}{}
	if err := readYAML(filepath.Join(in.Chart, "values.yaml"), &defaults); err != nil {
		return nil, nil, fmt.Errorf("values.yaml: %w", err)
	}
	values := coalesce(defaults, in.Values)

	entries, err := os.ReadDir(filepath.Join(in.Chart, "templates"))
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, entry := range entries {
		if !entry.IsDir() {
			names = append(names, "templates/"+entry.Name())
		}
	}
	sort.Strings(names)

	root := template.New("gotpl").Option("missingkey=zero")
	root.Funcs(functions(root))
	for _, name := range names {
		text, err := os.ReadFile(filepath.Join(in.Chart, name))
		if err != nil {
			return nil, nil, err
		}
		if _, err := root.New(chart.Name + "/" + name).Parse(string(text)); err != nil {
			return nil, nil, err
		}
	}
	top := map[string]interface{}{
		"Values": values,
		"Chart":  chart,
		"Release": map[string]interface{}{
			"Name": in.Release, "Namespace": in.Namespace, "Service": "Helm",
			"Revision": 1, "IsInstall": true, "IsUpgrade": false,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31"},
		},
	}
	files := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(filepath.Base(name), "_") {
			continue
		}
		top["Template"] = map[string]interface{}{"Name": chart.Name + "/" + name, "BasePath": chart.Name + "/templates"}
		var out strings.Builder
		if err := root.ExecuteTemplate(&out, chart.Name+"/"+name, top); err != nil {
			return nil, nil, err
		}
		files[name] = strings.ReplaceAll(out.String(), "<no value>", "")
	}
	return files, values, nil
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "helm-engine: bad input:", err)
		os.Exit(2)
	}
	files, values, err := render(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-engine:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"files": files, "values": values}); err != nil {
		os.Exit(1)
	}
}
