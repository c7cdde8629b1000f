// Compiled C++ reference for bench/compare/lorenz_ode.py: Dormand–Prince 5(4) on Lorenz-63 with the
// same controller as Drift's defaults (PI, beta = (0.85, -0.2, 0) / 5, safety 0.9, factors [0.2, 10],
// Hairer's initial step, Hairer's RMS error norm). Written for this benchmark from the published
// tableau; d = 3 is a compile-time constant, as a hand-tuned C++ code would have it.
// Build: g++ -O3 -march=native -o dopri5 dopri5.cpp     Run: ./dopri5 [repeats]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

constexpr int D = 3;

static inline void lorenz(const double* x, double* dx) {
    dx[0] = 10.0 * (x[1] - x[0]);
    dx[1] = x[0] * (28.0 - x[2]) - x[1];
    dx[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
}

struct Result { double y[D]; long accepted, rejected, nfev; };

static Result solve(double t1, double tol, double beta1, double beta2) {
    const double safety = 0.9, minf = 0.2, maxf = 10.0, k = 5.0;
    const double e1 = -beta1 / k, e2 = -beta2 / k;
    double y[D] = {1.0, 1.0, 1.0}, yn[D], s[D], k1[D], k2[D], k3[D], k4[D], k5[D], k6[D], k7[D];
    double t = 0.0;
    long acc = 0, rej = 0, nfev = 0;
    lorenz(y, k1); nfev++;
    // Hairer's initial step.
    double d0 = 0, d1 = 0;
    for (int i = 0; i < D; i++) { double sc = tol + tol * std::fabs(y[i]); d0 += (y[i] / sc) * (y[i] / sc); d1 += (k1[i] / sc) * (k1[i] / sc); }
    d0 = std::sqrt(d0 / D); d1 = std::sqrt(d1 / D);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = std::min(h0, t1);
    for (int i = 0; i < D; i++) s[i] = y[i] + h0 * k1[i];
    lorenz(s, k2); nfev++;
    double d2 = 0;
    for (int i = 0; i < D; i++) { double sc = tol + tol * std::fabs(y[i]); double q = (k2[i] - k1[i]) / sc; d2 += q * q; }
    d2 = std::sqrt(d2 / D) / h0;
    double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / std::max(d1, d2), 1.0 / k);
    double h = std::min(std::min(100 * h0, h1), t1);
    double logOld = 0; bool lastRejected = false;
    const double logFloor = std::log(1e-4);
    while (t < t1) {
        bool last = false;
        if (t + 1.01 * h >= t1) { h = t1 - t; last = true; }
        for (int i = 0; i < D; i++) s[i] = y[i] + h * (1.0 / 5.0) * k1[i];
        lorenz(s, k2);
        for (int i = 0; i < D; i++) s[i] = y[i] + (h * (3.0 / 40.0) * k1[i] + h * (9.0 / 40.0) * k2[i]);
        lorenz(s, k3);
        for (int i = 0; i < D; i++) s[i] = y[i] + (h * (44.0 / 45.0) * k1[i] + h * (-56.0 / 15.0) * k2[i] + h * (32.0 / 9.0) * k3[i]);
        lorenz(s, k4);
        for (int i = 0; i < D; i++) s[i] = y[i] + (h * (19372.0 / 6561.0) * k1[i] + h * (-25360.0 / 2187.0) * k2[i] + h * (64448.0 / 6561.0) * k3[i] + h * (-212.0 / 729.0) * k4[i]);
        lorenz(s, k5);
        for (int i = 0; i < D; i++) s[i] = y[i] + (h * (9017.0 / 3168.0) * k1[i] + h * (-355.0 / 33.0) * k2[i] + h * (46732.0 / 5247.0) * k3[i] + h * (49.0 / 176.0) * k4[i] + h * (-5103.0 / 18656.0) * k5[i]);
        lorenz(s, k6);
        for (int i = 0; i < D; i++) yn[i] = y[i] + (h * (35.0 / 384.0) * k1[i] + h * (500.0 / 1113.0) * k3[i] + h * (125.0 / 192.0) * k4[i] + h * (-2187.0 / 6784.0) * k5[i] + h * (11.0 / 84.0) * k6[i]);
        lorenz(yn, k7);
        nfev += 6;
        double sum = 0;
        for (int i = 0; i < D; i++) {
            double e = h * (71.0 / 57600.0) * k1[i] + h * (-71.0 / 16695.0) * k3[i] + h * (71.0 / 1920.0) * k4[i]
                     + h * (-17253.0 / 339200.0) * k5[i] + h * (22.0 / 525.0) * k6[i] + h * (-1.0 / 40.0) * k7[i];
            double sc = tol + tol * std::max(std::fabs(y[i]), std::fabs(yn[i]));
            double q = e / sc; sum += q * q;
        }
        double err = std::sqrt(sum / D);
        if (err <= 1.0) {
            acc++;
            double logErr = std::log(std::max(err, 1e-300));
            double factor = err == 0 ? maxf : safety * std::exp(e1 * logErr + e2 * logOld);
            factor = std::clamp(factor, minf, maxf);
            if (lastRejected) factor = std::min(factor, 1.0);
            logOld = std::max(logErr, logFloor);
            t = last ? t1 : t + h;
            h = h * factor;
            for (int i = 0; i < D; i++) { y[i] = yn[i]; k1[i] = k7[i]; }
            lastRejected = false;
        } else {
            rej++;
            h *= std::max(minf, safety * std::pow(err, e1));
            lastRejected = true;
        }
    }
    Result r; for (int i = 0; i < D; i++) r.y[i] = y[i];
    r.accepted = acc; r.rejected = rej; r.nfev = nfev;
    return r;
}

int main(int argc, char** argv) {
    int repeats = argc > 1 ? std::atoi(argv[1]) : 200;
    const char* names[2] = {"pi", "integral"};
    double betas[2][2] = {{0.85, -0.2}, {1.0, 0.0}};
    double tols[2] = {1e-6, 1e-9};
    std::printf("[");
    bool first = true;
    for (int c = 0; c < 2; c++)
        for (double tol : tols) {
            double best = 1e300; Result r{};
            for (int k = 0; k < repeats; k++) {
                auto a = std::chrono::steady_clock::now();
                r = solve(100.0, tol, betas[c][0], betas[c][1]);
                auto b = std::chrono::steady_clock::now();
                best = std::min(best, std::chrono::duration<double>(b - a).count());
            }
            Result at1 = solve(1.0, tol, betas[c][0], betas[c][1]);
            std::printf("%s{\"impl\": \"C++ dopri5 (%s)\", \"controller\": \"%s\", \"tol\": %g, \"seconds\": %.9g, \"accepted\": %ld, \"rejected\": %ld, \"nfev\": %ld, \"y1\": [%.17g, %.17g, %.17g], \"y100\": [%.17g, %.17g, %.17g]}",
                first ? "" : ",\n ", names[c], names[c], tol, best, r.accepted, r.rejected, r.nfev, at1.y[0], at1.y[1], at1.y[2], r.y[0], r.y[1], r.y[2]);
            first = false;
        }
    std::printf("]\n");
    return 0;
}
